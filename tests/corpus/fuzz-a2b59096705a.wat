;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call - 
(module
  (rec
    (type (;0;) (sub (func)))
    (type (;1;) (sub (array (mut i8))))
    (type (;2;) (sub (func)))
    (type (;3;) (sub 0 (func)))
    (type (;4;) (sub (func)))
    (type (;5;) (sub (struct (field i16) (field (mut i32)) (field i16) (field nullfuncref) (field (mut i64)) (field (mut f32)) (field (mut i16)) (field (mut i16)) (field i8) (field i32))))
    (type (;6;) (sub (struct (field f32) (field (mut i8)) (field i16) (field (mut i8)) (field (mut i16)) (field (mut eqref)) (field (mut i8)) (field (mut f32)) (field (mut i16)) (field f64) (field (mut i16)) (field i8))))
    (type (;7;) (sub (struct (field i16) (field i8) (field (mut i16)) (field f32) (field (mut i16)) (field f32) (field structref))))
    (type (;8;) (sub (func (param f64) (result arrayref))))
    (type (;9;) (sub final 7 (struct (field i16) (field i8) (field (mut i16)) (field f32) (field (mut i16)) (field f32) (field (ref null 5)) (field (mut i16)))))
    (type (;10;) (sub (array i8)))
    (type (;11;) (sub (array i8)))
    (type (;12;) (sub (array f64)))
    (type (;13;) (sub (func (param f64 f64 structref f64))))
    (type (;14;) (sub (func (param nullfuncref f32) (result eqref))))
    (type (;15;) (sub (func (result i64))))
    (type (;16;) (sub (func (param i64) (result i64 i32 i32))))
    (type (;17;) (sub (array i8)))
    (type (;18;) (sub (struct (field (mut i16)) (field (mut i16)) (field f32) (field i16) (field i16) (field (mut i16)) (field i16))))
    (type (;19;) (func (param i32) (result f32)))
    (type (;20;) (struct (field (mut i16)) (field i32) (field i64) (field i8) (field (mut f32)) (field f64) (field i64) (field i16) (field (mut i8)) (field i16) (field i8) (field i8) (field i8) (field i16) (field (mut (ref null 9))) (field (mut i16))))
    (type (;21;) (array i8))
    (type (;22;) (struct (field i64)))
    (type (;23;) (func))
    (type (;24;) (sub (array (mut i8))))
    (type (;25;) (sub (func (param i64 nullref anyref f32 i64 f64) (result i32))))
    (type (;26;) (struct (field i16) (field i16) (field (mut i8)) (field i16) (field i16) (field (mut externref)) (field i8) (field (mut i8)) (field (mut nullexternref)) (field i16)))
    (type (;27;) (sub (array i8)))
    (type (;28;) (array i8))
    (type (;29;) (sub (struct (field (mut f64)) (field i8) (field i64) (field (mut i64)) (field i16) (field i8) (field i16) (field i16) (field (mut i16)) (field i16) (field i8) (field i16) (field i16) (field i8) (field i8) (field (mut i64)))))
    (type (;30;) (sub (array (mut f64))))
    (type (;31;) (sub (func (param i64 f64) (result f32 i64 f32 i64 f32))))
    (type (;32;) (sub (struct (field i8) (field (mut i16)) (field (mut (ref null 20))) (field (mut i16)) (field i8) (field i16) (field i8) (field i32) (field i64) (field (mut i8)) (field (mut i8)) (field nullexternref) (field (mut i16)) (field i8) (field (mut i8)) (field f32) (field i8) (field (mut i8)) (field (mut i16)) (field (mut i16)))))
    (type (;33;) (array (mut f32)))
    (type (;34;) (sub (array f32)))
    (type (;35;) (sub (struct (field (mut i16)) (field i32) (field i8) (field f64) (field (mut i16)) (field (mut f32)) (field (mut i8)) (field i16) (field i16) (field i8) (field (mut i8)) (field (mut i16)) (field i64) (field i8) (field (mut i16)) (field i8))))
    (type (;36;) (sub (array (mut i8))))
    (type (;37;) (func))
    (type (;38;) (sub (array i64)))
    (type (;39;) (sub (func (param i32))))
    (type (;40;) (func (param i64 i64 f64)))
    (type (;41;) (sub (array f64)))
    (type (;42;) (array i16))
    (type (;43;) (func (param i32 i32)))
    (type (;44;) (sub (array (mut i16))))
    (type (;45;) (array (mut i8)))
    (type (;46;) (sub (func (param f32 i64 i32) (result i64 f64 i32 f32 f64 (ref null 28)))))
    (type (;47;) (struct (field (mut i16)) (field (mut f64)) (field i16)))
    (type (;48;) (sub (array (mut i8))))
    (type (;49;) (sub (func (param i32 anyref) (result f64))))
    (type (;50;) (array (mut i8)))
    (type (;51;) (sub (func)))
    (type (;52;) (array (mut i16)))
    (type (;53;) (sub (struct)))
    (type (;54;) (array i8))
    (type (;55;) (struct (field (mut i8)) (field i8) (field f64) (field (mut i16)) (field (mut i8)) (field i8) (field i32) (field i8) (field (mut f64)) (field (mut i8)) (field (mut i8)) (field (mut i64)) (field i64) (field (mut i8))))
    (type (;56;) (sub (func (result (ref null 18) f32 i32))))
    (type (;57;) (array i16))
    (type (;58;) (sub (func (param f64 i32) (result f32 f64))))
    (type (;59;) (struct (field i64)))
    (type (;60;) (sub (func (result f32 (ref null 20)))))
    (type (;61;) (func))
    (type (;62;) (sub (struct (field f64) (field (mut i16)) (field i8) (field (mut i8)) (field (mut i8)) (field i8) (field (mut f32)) (field (mut i8)) (field i16) (field (mut anyref)) (field i8))))
    (type (;63;) (array f64))
    (type (;64;) (struct (field f64) (field (mut f64)) (field i8) (field (mut i8)) (field i8) (field i16) (field (mut i16))))
    (type (;65;) (array i16))
    (type (;66;) (array exnref))
    (type (;67;) (sub (struct (field (mut i8)) (field f32) (field i8) (field (mut i8)) (field (mut i32)) (field i16) (field (mut i16)) (field (mut i8)) (field (mut i32)) (field f64) (field i8) (field (mut i16)) (field (mut i16)) (field i8) (field (mut i16)) (field i8) (field (mut i32)))))
    (type (;68;) (sub (array (mut i8))))
    (type (;69;) (func))
  )
  (table (;0;) i64 83 113 arrayref i32.const -1221410999 array.new_default 63)
  (memory (;0;) i64 6 15)
  (memory (;1;) i64 1 1)
  (memory (;2;) 0 5)
  (export ":a\u{16}\u{22}" (func 0))
  (export "" (func 1))
  (export "2" (table 0))
  (export "3" (memory 0))
  (export "4" (memory 1))
  (export "5" (memory 2))
  (elem (;0;) declare externref)
  (elem (;1;) declare structref)
  (func (;0;) (type 56) (result (ref null 18) f32 i32)
    (local i64)
    ref.null 5
    try_table (type 56) (result (ref null 18) f32 i32) ;; label = @1
      struct.new 53
      return_call 0
      i64.load 2
      table.get 0
      try_table (type 0) ;; label = @2
        data.drop 0
        block (type 23) ;; label = @3
          local.get 0
          f32.convert_i64_u
          return_call 0
          i32.load 2 align=1
          i32.extend8_s
          memory.grow 2
          br_if 0 (;@3;)
          unreachable
        end
      end
      unreachable
    end
    unreachable
  )
  (func (;1;) (type 51))
  (data (;0;) "\88")
)
