;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call 784d6734 
(module
  (rec
    (type (;0;) (sub (func (param exnref) (result i32 f64 i32))))
    (type (;1;) (sub (struct (field (mut i8)) (field i8) (field i8) (field i16) (field i16) (field f32) (field (mut f32)) (field i16) (field i8) (field (mut i8)) (field f32))))
    (type (;2;) (array (mut i16)))
    (type (;3;) (array i16))
    (type (;4;) (array (mut i8)))
    (type (;5;) (struct (field i16) (field (mut f64)) (field f32) (field f32) (field i16) (field (mut i16)) (field i16) (field i16) (field (mut i64)) (field (mut i32)) (field (mut i8)) (field (mut i16)) (field f32) (field i8) (field (mut i32)) (field (mut arrayref)) (field (mut i8)) (field nullref) (field (mut f32)) (field i8)))
    (type (;6;) (sub (func (param i32) (result f64 f64 eqref))))
    (type (;7;) (func (param i32)))
    (type (;8;) (sub (struct (field i8) (field (mut i64)) (field (mut i8)) (field i32) (field f32) (field i64) (field (mut i16)) (field (mut nullexternref)) (field f32) (field i16) (field i16) (field (mut i16)) (field (mut i16)) (field i64) (field (mut i8)) (field f64))))
    (type (;9;) (array (mut i8)))
    (type (;10;) (sub (array (mut i16))))
    (type (;11;) (sub (func (param anyref))))
    (type (;12;) (struct (field i16) (field (mut i8)) (field i16) (field i32) (field (mut i8)) (field i8) (field (mut f64)) (field anyref) (field (mut i16)) (field (mut i32))))
    (type (;13;) (sub final 11 (func (param anyref))))
    (type (;14;) (struct (field (mut i8)) (field (mut i32)) (field i16) (field i16) (field (mut f64)) (field (ref null 0)) (field i16) (field i16) (field i8) (field (mut i16))))
    (type (;15;) (func (param i64) (result nullexternref f32)))
    (type (;16;) (struct (field (mut i16)) (field i8) (field (mut i64))))
    (type (;17;) (sub (array (mut i16))))
    (type (;18;) (struct (field i16)))
    (type (;19;) (sub (array i8)))
    (type (;20;) (sub (array (mut (ref null 9)))))
  )
  (rec
    (type (;21;) (func (result f32 nullfuncref i64 f32)))
    (type (;22;) (sub (struct (field (mut f64)) (field (mut i8)) (field (mut i64)) (field (mut i8)) (field (mut i16)) (field i8) (field (mut f64)) (field i16) (field (mut (ref null 17))) (field (mut i8)) (field (mut i32)) (field (mut i16)) (field (mut i16)) (field f32) (field i8) (field (mut i16)) (field (mut f64)))))
    (type (;23;) (func (param i32) (result i64)))
    (type (;24;) (sub (array (mut i16))))
    (type (;25;) (sub (func (param f32) (result f32))))
    (type (;26;) (array arrayref))
    (type (;27;) (sub (struct (field (mut i64)) (field i8) (field i16) (field i16) (field (mut i8)) (field i16))))
    (type (;28;) (func))
    (type (;29;) (sub (array i16)))
    (type (;30;) (array i8))
    (type (;31;) (func (param i64)))
    (type (;32;) (sub (array (mut i8))))
    (type (;33;) (sub (array (mut (ref null 26)))))
    (type (;34;) (array i16))
    (type (;35;) (struct (field i8) (field (mut i8)) (field (mut f64))))
    (type (;36;) (sub (func)))
    (type (;37;) (struct (field (mut i64)) (field i16) (field (ref null 14)) (field (mut i16)) (field i16) (field (mut i64)) (field i8) (field (mut i16))))
    (type (;38;) (sub (array (mut i16))))
    (type (;39;) (sub (struct (field i8) (field i16) (field (mut i16)) (field (mut i16)) (field (mut (ref null 33))) (field (mut i32)) (field i8) (field i8) (field (mut i16)) (field (mut i32)) (field (mut (ref null 10))))))
    (type (;40;) (struct (field (mut f64)) (field (mut i8)) (field f32) (field i16) (field i8) (field i64) (field i8) (field i8) (field i16) (field i8) (field (mut i8))))
    (type (;41;) (sub (struct (field (mut i8)) (field (mut i16)) (field (mut i64)) (field (mut f64)) (field (mut i16)) (field i64) (field i8))))
    (type (;42;) (array i32))
    (type (;43;) (sub (struct)))
    (type (;44;) (func (result i64 f64 f64)))
    (type (;45;) (func (result i32)))
    (type (;46;) (struct (field i16) (field (mut f32)) (field i8) (field i8) (field eqref) (field i8) (field (mut f64)) (field (mut i16)) (field (mut i8)) (field i16) (field i16) (field (mut i16)) (field structref) (field i8) (field (mut i8)) (field (mut i64))))
  )
  (table (;0;) 428 994 arrayref i32.const 569006695 i32.const -1116566544 array.new 2)
  (table (;1;) 21 141 (ref null 15))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (export "xMg4" (func 0))
  (export "" (table 0))
  (export "2" (table 1))
  (export "$" (global 0))
  (export "+$" (global 1))
  (export "Cq\u{5c}_3B\u{7f}" (global 2))
  (elem (;0;) (table 1) (i32.const 1) (ref null 15))
  (func (;0;) (type 45) (result i32)
    block (type 21) (result f32 nullfuncref i64 f32) ;; label = @1
      block (type 28) ;; label = @2
        call 0
        i32.ctz
        br_if 0 (;@2;)
        return_call 0
        table.get 1
        br_on_null 0 (;@2;)
        ref.test (ref nofunc)
        array.new_fixed 4 0
        struct.new 43
        drop
        drop
        global.get 0
        i32.xor
        global.set 0
      end
      f32.const 0x1.222222p-93 (;=0.00000000000000000000000000011443742;)
      ref.null nofunc
      i64.const -5752350905705367176
      f32.const 0x1.feb008p-49 (;=0.0000000000000035436072;)
    end
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    global.get 2
    i64.xor
    global.set 2
    drop
    i32.reinterpret_f32
    global.get 1
    i32.xor
    global.set 1
    i32.const 1
  )
)
