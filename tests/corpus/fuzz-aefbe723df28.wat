;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call 0038 
(module
  (rec
    (type (;0;) (sub (func (param i64 i32) (result anyref))))
    (type (;1;) (array externref))
    (type (;2;) (struct (field (mut i16)) (field i8) (field i64) (field (ref null 0)) (field i16)))
    (type (;3;) (sub (struct (field (mut i8)) (field (mut f32)) (field (mut eqref)) (field (mut i8)) (field (mut i31ref)) (field i16) (field (mut i16)) (field i16) (field (mut i8)) (field (mut i16)) (field (mut i16)) (field (mut i8)) (field i8) (field (mut i8)) (field i32))))
    (type (;4;) (sub (func (result i32 anyref f32 i64 i64))))
  )
  (rec
    (type (;5;) (sub (array i8)))
    (type (;6;) (sub (array i16)))
    (type (;7;) (struct (field (mut f32)) (field (mut i8)) (field (mut i32)) (field i8) (field (mut f32)) (field (mut i16)) (field i8) (field i64) (field i8) (field i16) (field (mut i31ref)) (field i8) (field (mut i8))))
    (type (;8;) (array i16))
    (type (;9;) (struct (field (mut i16)) (field i32) (field (mut i8)) (field i32) (field i64) (field (mut f32))))
    (type (;10;) (struct (field i16) (field i8) (field i32) (field (mut f64)) (field i8) (field (mut i16)) (field i8) (field i8) (field i16) (field i32)))
    (type (;11;) (sub (array (mut i8))))
    (type (;12;) (struct (field i64) (field i8) (field (mut f32)) (field i16) (field nullexternref)))
    (type (;13;) (sub (func (param i32))))
    (type (;14;) (sub (array i16)))
    (type (;15;) (struct (field (mut i8)) (field i16) (field (mut i8)) (field (mut i16)) (field i8) (field (mut i16)) (field i64) (field f32) (field (mut f64)) (field (mut i16)) (field (mut i16)) (field (mut f64)) (field i32) (field (mut i8)) (field (mut i8)) (field (mut arrayref))))
    (type (;16;) (array (mut exnref)))
    (type (;17;) (sub (func (result i32))))
    (type (;18;) (sub (struct (field (mut i8)) (field i16) (field i8) (field i8))))
    (type (;19;) (sub (array i8)))
    (type (;20;) (sub (array (mut i16))))
    (type (;21;) (sub (func (result externref))))
    (type (;22;) (array (mut i8)))
    (type (;23;) (array i8))
    (type (;24;) (sub (func (result f64))))
    (type (;25;) (sub (array i8)))
    (type (;26;) (func (result i64 i64)))
    (type (;27;) (sub (func (param anyref) (result f64 (ref null 20)))))
    (type (;28;) (func (param f32) (result f64 i32 i64)))
    (type (;29;) (sub (func (param f32 f32) (result f32 f32 f32 f32))))
    (type (;30;) (sub (struct (field (mut f64)) (field (mut i8)) (field (mut i16)) (field i16))))
    (type (;31;) (func (result f32)))
    (type (;32;) (array (mut f32)))
    (type (;33;) (sub (array (mut i16))))
    (type (;34;) (sub (func (param f32 anyref) (result f32))))
    (type (;35;) (sub (array i32)))
    (type (;36;) (struct (field i8) (field i64) (field (mut i16)) (field (mut f64)) (field i8) (field (mut i16)) (field (mut i64)) (field (mut i16)) (field (mut i8)) (field (mut i16)) (field i8) (field i16) (field i16) (field i8) (field i16) (field (mut i16)) (field (mut i32)) (field (mut i8))))
    (type (;37;) (array i8))
    (type (;38;) (sub 21 (func (result nullexternref))))
    (type (;39;) (array i16))
    (type (;40;) (sub (struct (field (mut i8)) (field i8) (field f32) (field (mut i8)) (field (mut f32)) (field i8) (field (mut i8)) (field (mut i64)) (field (mut i8)) (field (mut i16)) (field f32) (field (mut i8)))))
    (type (;41;) (sub (struct (field f32) (field (mut structref)) (field (mut (ref null 3))) (field i16) (field (mut i8)) (field (mut i16)))))
    (type (;42;) (struct (field i16) (field f64) (field i8) (field (mut funcref)) (field i8) (field (mut f64)) (field f32) (field f32) (field (mut i16)) (field (mut i8)) (field (mut i16)) (field i64) (field (mut i64)) (field i16) (field (mut i8)) (field (mut i8))))
    (type (;43;) (sub (array i8)))
    (type (;44;) (func))
    (type (;45;) (array i16))
    (type (;46;) (sub (struct (field (mut i16)) (field i8) (field (mut i16)) (field i16) (field (mut f32)) (field (mut f32)) (field i32) (field i8) (field i16) (field i16) (field (mut i16)) (field i8) (field (mut i16)))))
    (type (;47;) (sub (struct (field i16) (field (mut i32)) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field i8) (field (mut f32)) (field i8) (field (mut f32)))))
    (type (;48;) (sub (struct (field i64) (field i16) (field (mut i16)) (field i8) (field i16) (field i8) (field (mut i8)) (field i64) (field (mut i16)) (field (mut i16)) (field i8) (field i8) (field (ref null 6)) (field (mut i16)) (field i16) (field (mut f32)) (field i64) (field (mut i16)))))
    (type (;49;) (sub (struct (field i16) (field (mut i8)) (field (mut i16)) (field i16) (field i8) (field (mut i16)) (field i16) (field i16) (field (ref null 32)) (field (mut i16)) (field (mut i32)) (field i16) (field i32) (field i8))))
    (type (;50;) (func))
    (type (;51;) (struct (field i64) (field (mut i8)) (field (mut i16)) (field (mut i32)) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field i8) (field i16) (field (mut i8)) (field i8) (field i32) (field (mut i16)) (field (mut i64)) (field (mut i31ref))))
    (type (;52;) (sub (array f32)))
  )
  (table (;0;) i64 17 459 anyref)
  (memory (;0;) 0 1)
  (tag (;0;) (type 13) (param i32))
  (tag (;1;) (type 44))
  (tag (;2;) (type 44))
  (global (;0;) (mut f32) f32.const 0x1.f37faap+114 (;=40524148000000000000000000000000000;))
  (global (;1;) eqref i32.const -1150474624 i32.const 31041996 i32.const 883360364 i32.const -675038828 i32.const -1964085211 i32.const -1082333273 i32.const 1625651150 i32.const 1135463456 i32.const 1114440329 i32.const 1085914717 i32.const -2126649127 i32.add i32.add i32.sub i32.add i32.add i32.sub i32.mul i32.add i32.mul i32.sub array.new_default 52)
  (export "\u{0}8" (func 0))
  (export "" (table 0))
  (export "2" (memory 0))
  (export "3" (global 0))
  (export "4" (global 1))
  (elem (;0;) (table 0) (i64.const 1) (ref null 8))
  (elem (;1;) structref)
  (elem (;2;) nullfuncref)
  (elem (;3;) (table 0) (i64.const 0) (ref null 18))
  (func (;0;) (type 17) (result i32)
    (local i64 i64 f64)
    local.get 1
    block (type 31) (result f32) ;; label = @1
      block ;; label = @2
        call 0
        f64.convert_i32_s
        f64.ceil
        local.tee 2
        f64.const nan (;=NaN;)
        local.get 2
        local.get 2
        f64.eq
        select
        struct.new_default 2
        ref.test (ref none)
        i64.load8_u
        f32.convert_i64_u
        array.new_fixed 52 0
        ref.as_non_null
        ref.null 36
        local.get 1
        block (type 44) ;; label = @3
          return_call 0
          nop
          unreachable
        end
        unreachable
      end
      unreachable
    end
    unreachable
  )
)
