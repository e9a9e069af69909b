;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call - 
(module
  (rec
    (type (;0;) (func (result f64 i64)))
    (type (;1;) (sub (func)))
    (type (;2;) (func (param nullfuncref f64) (result i64)))
    (type (;3;) (func (param nullfuncref f64 f64) (result f32 i64)))
    (type (;4;) (array (mut funcref)))
    (type (;5;) (struct (field i16) (field i16) (field f64) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field i8) (field i31ref) (field i16) (field (mut i16)) (field i16) (field (mut f64)) (field i8) (field i16) (field (mut i8)) (field i8)))
    (type (;6;) (struct (field i16) (field (mut i8)) (field i16) (field i16) (field (mut f32)) (field i64) (field (mut i16)) (field (mut i64))))
    (type (;7;) (sub (struct (field (mut i8)) (field i16) (field (mut i8)) (field i16) (field (mut f32)) (field (mut i8)))))
    (type (;8;) (array i8))
    (type (;9;) (sub (struct (field (mut i32)) (field (mut i8)) (field (mut i8)) (field i16) (field (mut i16)) (field (mut externref)) (field i8) (field i16) (field f64) (field i16) (field (mut i8)) (field (mut f32)) (field (mut i32)))))
    (type (;10;) (array (mut i16)))
    (type (;11;) (struct (field i16) (field f32) (field i8) (field i32)))
    (type (;12;) (func (param f32 f32 f64 f32 i32) (result f32 f32)))
    (type (;13;) (sub (struct (field (mut i16)) (field i16) (field (mut i32)) (field (mut f64)) (field i16) (field i16) (field i8) (field (mut i16)) (field i8))))
    (type (;14;) (func))
    (type (;15;) (array exnref))
    (type (;16;) (sub (func (param structref))))
    (type (;17;) (struct (field (mut i16)) (field f64) (field (mut i16)) (field i16) (field i8) (field exnref) (field i8) (field i8) (field (mut i8)) (field (mut i16)) (field (mut f64)) (field (mut i16)) (field i32) (field (mut i8))))
    (type (;18;) (array (mut i8)))
    (type (;19;) (struct (field i8) (field i8) (field (mut i8)) (field (mut i8)) (field i8) (field (mut i8)) (field i16) (field i8) (field (mut i16)) (field (mut (ref null 2))) (field externref) (field (mut i16)) (field (mut i16))))
    (type (;20;) (func (param i32 (ref null 15) f64)))
    (type (;21;) (sub (struct (field (mut nullfuncref)) (field i8) (field i16) (field (mut i8)) (field i8) (field i32) (field i16) (field (mut i64)) (field f64))))
    (type (;22;) (struct (field (mut i8)) (field (mut f64)) (field (mut f32)) (field (mut i16)) (field (mut i8)) (field i8) (field (mut f32)) (field i32) (field (mut i32)) (field i64) (field i8) (field (mut f64)) (field (mut i16))))
    (type (;23;) (sub (func (param i64) (result i32))))
    (type (;24;) (array i16))
    (type (;25;) (sub (struct (field f64) (field (mut i8)) (field i16) (field (mut i32)) (field i8) (field i16) (field i8) (field (mut i8)) (field i8) (field (mut i8)) (field f32) (field (mut i32)) (field (mut i8)) (field i8) (field i32) (field (mut i64)) (field (mut structref)) (field (mut i64)) (field i16) (field i32))))
    (type (;26;) (struct (field i8) (field i16) (field i16) (field i8) (field f64) (field i8) (field (mut i32)) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut f32)) (field f32) (field i16) (field (mut eqref)) (field i8)))
    (type (;27;) (sub (func (param nullref f64) (result i32))))
    (type (;28;) (func (result f64)))
    (type (;29;) (struct (field (mut i16)) (field arrayref) (field i32) (field i8) (field i8) (field i16) (field i64) (field i8) (field (mut i8)) (field i32) (field (mut f64))))
    (type (;30;) (array (mut i8)))
    (type (;31;) (sub (array (mut i64))))
    (type (;32;) (sub 31 (array (mut i64))))
    (type (;33;) (func (param i32) (result i31ref)))
    (type (;34;) (array (mut i8)))
    (type (;35;) (sub (struct (field i8) (field i16))))
    (type (;36;) (sub (array f32)))
    (type (;37;) (func))
    (type (;38;) (struct))
  )
  (table (;0;) 521 843 (ref null 24) i32.const 1639101049 i32.const -736377112 array.new 24)
  (tag (;0;) (type 16) (param structref))
  (tag (;1;) (type 20) (param i32 (ref null 15) f64))
  (tag (;2;) (type 14))
  (tag (;3;) (type 1))
  (tag (;4;) (type 16) (param structref))
  (tag (;5;) (type 1))
  (tag (;6;) (type 16) (param structref))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i64) i64.const 0)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (func 2))
  (export "3" (func 3))
  (export "4" (func 4))
  (export "5" (table 0))
  (elem (;0;) (ref null 9))
  (elem (;1;) declare structref)
  (func (;0;) (type 28) (result f64)
    (local i64 i64 f32)
    block (type 14) ;; label = @1
      throw 2
      i32.const -486260306
      local.get 0
      i32.wrap_i64
      array.new_data 8 4
      try_table (type 28) (result f64) (catch_all 0 (;@1;)) (catch 3 0 (;@1;)) ;; label = @2
        try_table (type 14) (catch 5 1 (;@1;)) ;; label = @3
          i64.const -1485931642525541823
          i32.wrap_i64
          global.get 0
          i32.xor
          global.set 0
        end
        f64.const -0x1.2c64dc2120c88p+334 (;=-41064809938976440000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      end
      i64.reinterpret_f64
      global.get 1
      i64.xor
      global.set 1
      drop
    end
    f64.const -nan:0xfffffffffffff (;=NaN;)
  )
  (func (;1;) (type 20) (param i32 (ref null 15) f64)
    (local i64 i32)
    i64.const -2147483649
    local.set 3
    br 0
    try_table (type 14) (catch 3 0) (catch 2 0) (catch 2 0) (catch 2 0) (catch 3 0) ;; label = @1
      i64.const -64
      f32.convert_i64_u
      f32.abs
      i64.const 3174513310375575012
      elem.drop 0
      i32.wrap_i64
      local.set 4
      i64.const -6850638781943354473
      f64.reinterpret_i64
      call 0
      local.tee 2
      f64.le
      f64.convert_i32_s
      struct.new 38
      i64.const -7094164544372164350
      elem.drop 0
      nop
      loop (type 37) ;; label = @2
        table.size 0
        i32.eqz
        local.tee 4
        table.size 0
        f32.const -0x1.567254p+82 (;=-6468633000000000000000000;)
        f64.promote_f32
        f32.demote_f64
        i64.trunc_f32_s
        try_table (type 37) (catch 3 1 (;@1;)) (catch_all 1 (;@1;)) (catch_all 2) (catch_all 0 (;@2;)) (catch_all 1 (;@1;)) ;; label = @3
          f64.const -0x1p+1 (;=-2;)
          loop (type 1) ;; label = @4
            return
            table.size 0
            array.new_default 4
            call 0
            i64.reinterpret_f64
            array.new_fixed 32 0
            struct.new 38
            ref.null exn
            ref.test exnref
            block ;; label = @5
            end
            unreachable
          end
          unreachable
        end
        unreachable
      end
      unreachable
    end
  )
  (func (;2;) (type 2) (param nullfuncref f64) (result i64)
    unreachable
  )
  (func (;3;) (type 2) (param nullfuncref f64) (result i64)
    unreachable
  )
  (func (;4;) (type 2) (param nullfuncref f64) (result i64)
    unreachable
  )
  (data (;0;) "\c2")
  (data (;1;) "")
  (data (;2;) "")
  (data (;3;) ">\11")
  (data (;4;) ".")
)
