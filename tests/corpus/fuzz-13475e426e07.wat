;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; (0, 0): ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call - 0 0
(module
  (rec
    (type (;0;) (sub (func (result f32 f64))))
    (type (;1;) (sub (array (mut i8))))
    (type (;2;) (array (mut i8)))
    (type (;3;) (sub (array f64)))
    (type (;4;) (sub (array (mut i8))))
    (type (;5;) (array i32))
    (type (;6;) (array funcref))
    (type (;7;) (array i8))
    (type (;8;) (struct (field i16) (field (mut f64)) (field i8) (field i16) (field (mut i16)) (field i8) (field (mut (ref null 2)))))
    (type (;9;) (sub (array f32)))
    (type (;10;) (sub (struct)))
    (type (;11;) (sub (array i16)))
    (type (;12;) (sub (func (param f64 (ref null 3) i32) (result i64))))
    (type (;13;) (sub final 9 (array f32)))
    (type (;14;) (sub 9 (array f32)))
    (type (;15;) (sub (array i16)))
    (type (;16;) (sub (array i16)))
    (type (;17;) (sub (func (param (ref null 16)))))
    (type (;18;) (sub (array i64)))
    (type (;19;) (struct))
    (type (;20;) (struct (field (mut i8)) (field (mut f32)) (field (mut i16)) (field (mut f32)) (field i8) (field (mut i8)) (field (mut f32)) (field (mut i16)) (field (mut i8)) (field i16) (field (mut i8)) (field (mut i16)) (field i16)))
    (type (;21;) (sub 3 (array f64)))
    (type (;22;) (func (result f32)))
    (type (;23;) (struct (field (mut i8)) (field (mut f32))))
    (type (;24;) (struct (field (mut i8)) (field i16) (field i8) (field (mut i8)) (field (mut i8)) (field i16) (field (mut i8)) (field arrayref) (field (mut i32)) (field (mut i8)) (field (mut (ref null 10))) (field i8) (field (mut i8)) (field (mut i8)) (field (mut i16)) (field i16) (field i64) (field i16) (field (mut i32)) (field i64)))
    (type (;25;) (sub (array (mut f64))))
    (type (;26;) (sub (array i32)))
    (type (;27;) (func (param f32) (result arrayref i64)))
  )
  (rec
    (type (;28;) (sub (struct (field i64) (field (mut structref)) (field (mut i16)) (field (mut i32)) (field i16) (field f32) (field (mut i16)) (field i8) (field (mut i16)) (field (mut i16)) (field i16) (field (mut i8)) (field i16) (field i16) (field i8) (field i8) (field i32) (field (mut i16)))))
    (type (;29;) (array (mut i8)))
    (type (;30;) (sub (struct (field (mut i16)) (field f32) (field (mut i16)) (field (mut i16)) (field f32))))
    (type (;31;) (array i16))
    (type (;32;) (func (param i32)))
    (type (;33;) (sub (func (result f64 i64))))
    (type (;34;) (sub (array (mut i8))))
    (type (;35;) (sub (array i8)))
    (type (;36;) (sub (func (param i32 eqref) (result i32 i64))))
    (type (;37;) (func (param f32 f64 f32 (ref null 34) i64)))
    (type (;38;) (sub (func)))
    (type (;39;) (sub (func (param f64 i64))))
    (type (;40;) (array i8))
    (type (;41;) (struct (field (mut i8)) (field i16) (field i16) (field i16) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i8)) (field (mut i16))))
    (type (;42;) (sub (array (mut i16))))
    (type (;43;) (sub (struct (field (mut i64)) (field i31ref) (field i64) (field nullfuncref) (field (mut i8)) (field f64))))
    (type (;44;) (sub (array (mut f64))))
    (type (;45;) (struct (field i16) (field (mut i16)) (field (mut i32)) (field (mut f32)) (field (mut i32)) (field (mut i16)) (field (mut i8)) (field i8) (field (mut nullfuncref)) (field (mut i64)) (field i64) (field (mut i8)) (field i32) (field i16) (field (mut i16)) (field (mut i16)) (field f32) (field (mut i32)) (field eqref) (field (mut i8))))
    (type (;46;) (array i16))
    (type (;47;) (sub (array (mut i64))))
    (type (;48;) (sub (struct (field i32) (field (mut funcref)) (field (mut nullref)) (field i16) (field (mut i16)) (field (mut i32)) (field i16) (field (mut i16)) (field (mut i16)) (field (mut i16)))))
    (type (;49;) (sub (array (mut i16))))
    (type (;50;) (sub (func (result i64))))
    (type (;51;) (func (result f64)))
    (type (;52;) (sub (func)))
    (type (;53;) (array i32))
    (type (;54;) (sub (func (param i64 i64 i31ref))))
    (type (;55;) (array (mut i64)))
    (type (;56;) (sub (func)))
    (type (;57;) (sub (array (mut i8))))
    (type (;58;) (func (param f32) (result f32)))
    (type (;59;) (struct (field i16) (field (mut i8)) (field i8) (field i16) (field i8) (field i8) (field (mut f64)) (field (mut i8)) (field (mut i16)) (field (mut f64)) (field (mut f32)) (field i32) (field i16)))
    (type (;60;) (array i16))
    (type (;61;) (sub (struct (field f64) (field i8) (field (mut i16)) (field (mut i8)) (field (mut f32)) (field (mut (ref null 48))) (field (mut i8)) (field i64) (field i8) (field f64) (field i16) (field i64) (field i8) (field (mut i16)) (field i8) (field (mut i16)) (field i8) (field i8) (field (ref null 59)))))
    (type (;62;) (sub (struct (field (mut i8)) (field (mut i8)) (field i8) (field (mut i16)) (field (mut f64)) (field (mut i16)) (field i64) (field i16) (field (mut i16)) (field (mut i8)) (field (mut i16)) (field (mut i64)) (field (mut i8)) (field (mut eqref)) (field (mut i64)) (field (mut i16)) (field (mut f32)) (field i16) (field (mut i32)) (field i32))))
    (type (;63;) (struct (field (mut i16)) (field (mut i16)) (field i16) (field i64) (field i64) (field i8) (field i16) (field (mut i16)) (field i16) (field (mut f64)) (field i8) (field i32) (field i32) (field (mut i64)) (field (mut f32)) (field i16)))
    (type (;64;) (func (result nullfuncref)))
  )
  (table (;0;) 318 796 (ref null 54))
  (table (;1;) i64 0 988 (ref null 39))
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (table 1))
  (func (;0;) (type 39) (param f64 i64)
    (local f64 (ref null 18) f64 f64 f64)
    f32.const 0x1.ffff8p-132 (;=0.00000000000000000000000000000000000000036734;)
    i32.const -1189131858
    array.new_default 44
    f64.const -nan:0xffdffffffffff (;=NaN;)
    i64.trunc_f64_u
    loop (type 56) ;; label = @1
      i32.const -1431655766
      f64.const -nan:0xeffffffffffff (;=NaN;)
      i64.const 404675739121382306
      f64.convert_i64_u
      f64.abs
      ref.null 56
      br 0 (;@1;)
      ref.test (ref null 56)
      struct.new_default 28
      ref.is_null
      i32.or
      br_if 1
      f64.floor
      local.tee 4
      f64.const nan (;=NaN;)
      local.get 4
      local.get 4
      f64.eq
      select
      f64.sqrt
      local.tee 5
      f64.const nan (;=NaN;)
      local.get 5
      local.get 5
      f64.eq
      select
      try_table (type 0) (result f32 f64) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch_all 1) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch_all 1) (catch_all 0 (;@1;)) (catch_all 1) (catch_all 1) (catch_all 1) ;; label = @2
        table.size 0
        local.get 3
        ref.as_non_null
        local.get 2
        f64.trunc
        local.tee 6
        f64.const nan (;=NaN;)
        local.get 6
        local.get 6
        f64.eq
        select
        i32.trunc_sat_f64_u
        nop
        unreachable
      end
      unreachable
    end
    unreachable
  )
)
