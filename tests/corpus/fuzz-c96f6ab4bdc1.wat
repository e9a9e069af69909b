;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call 68 0
(module
  (rec
    (type (;0;) (sub (array f32)))
    (type (;1;) (sub (array i8)))
    (type (;2;) (func (param f32 f32 i64) (result f64 f32 f64 i64 f32)))
    (type (;3;) (array i16))
    (type (;4;) (func))
    (type (;5;) (sub (array (mut i32))))
    (type (;6;) (sub (array f64)))
    (type (;7;) (sub (func)))
    (type (;8;) (sub (func (param i64 i32 f32 i64 f64 f64) (result f32 f32 i64))))
    (type (;9;) (struct (field i8) (field (mut i32)) (field (mut i8)) (field (mut i16)) (field f64) (field i32) (field i16) (field i32) (field (mut funcref)) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i8)) (field i8) (field (mut i16)) (field nullfuncref) (field i16) (field (mut i16)) (field i16)))
    (type (;10;) (func))
    (type (;11;) (sub (struct (field i16) (field (mut i64)) (field (mut i32)) (field (mut f32)) (field i64) (field i8))))
    (type (;12;) (sub (array (mut f64))))
    (type (;13;) (struct (field (mut i64)) (field i64) (field i16) (field i32)))
    (type (;14;) (struct (field i8) (field nullfuncref) (field i32) (field (mut i16)) (field (mut f32)) (field i8) (field i8) (field (mut funcref))))
    (type (;15;) (sub (func (result i32 i32 nullref))))
    (type (;16;) (sub (array i8)))
    (type (;17;) (array (mut i32)))
    (type (;18;) (sub (func (param f32))))
    (type (;19;) (sub (func (param i64))))
    (type (;20;) (sub (struct (field f32) (field i32) (field i8))))
    (type (;21;) (sub (struct (field i8) (field i16) (field (mut i8)) (field (mut i16)) (field (mut f32)) (field (mut i16)) (field (mut i16)) (field (ref null 0)) (field i16))))
    (type (;22;) (func))
    (type (;23;) (struct (field (mut i16)) (field (mut i8)) (field i8) (field (mut f32)) (field i8) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field (mut arrayref)) (field (mut i8)) (field (mut externref))))
    (type (;24;) (func (param f32 i64 f32)))
    (type (;25;) (sub (func (result f64 i32 externref i32 i64 f32))))
    (type (;26;) (sub (array i8)))
    (type (;27;) (sub (array (mut i8))))
    (type (;28;) (sub (array (mut i16))))
    (type (;29;) (sub (func (param i64) (result i64))))
    (type (;30;) (sub (struct (field (mut i16)) (field i64) (field f64) (field (mut i8)) (field i8) (field (mut i8)) (field i16) (field i16) (field (mut i8)) (field i16) (field (mut nullref)) (field i8) (field i8) (field i16) (field (mut i64)) (field (mut i16)))))
    (type (;31;) (sub (array i32)))
    (type (;32;) (func (param i32) (result i32 i32)))
    (type (;33;) (struct (field (mut i16)) (field (mut i16)) (field (mut i8)) (field i16) (field i8) (field (mut i16)) (field (mut i16)) (field i8) (field (mut i8)) (field (mut f64)) (field (mut i16)) (field (mut i16)) (field i8) (field (mut f64)) (field i8) (field i8) (field i16)))
    (type (;34;) (array (mut f32)))
    (type (;35;) (func (result i64 f64)))
    (type (;36;) (array (mut i8)))
    (type (;37;) (sub (func (param i32 f64) (result f32))))
    (type (;38;) (sub (struct (field (mut i16)) (field i16) (field i31ref) (field (mut i16)) (field (mut i8)) (field f64) (field (mut f32)) (field (mut i64)) (field i16) (field (mut i16)) (field (mut i8)) (field (ref null 3)) (field i32) (field (mut i16)) (field f64) (field (mut i8)) (field (mut (ref null 23))) (field (mut i8)))))
    (type (;39;) (sub (func)))
    (type (;40;) (array i32))
    (type (;41;) (sub 31 (array i32)))
    (type (;42;) (struct (field (mut i8)) (field (mut i16)) (field i32) (field (mut i64)) (field (mut i16)) (field i16) (field nullfuncref) (field (mut f64)) (field i8) (field i8) (field (mut i8)) (field f32) (field i8) (field (mut (ref null 7))) (field f64) (field i16)))
    (type (;43;) (sub (struct (field i8) (field i16) (field i8) (field (mut (ref null 10))) (field (mut i64)) (field i8) (field f64) (field f64) (field (mut f64)) (field i16) (field (mut i8)) (field (mut i32)) (field i8) (field (mut i8)) (field (mut i64)) (field f32) (field (mut f64)) (field (mut f32)) (field i8) (field i8))))
    (type (;44;) (struct (field (mut f32)) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field (mut i8)) (field i16) (field (mut f64)) (field (mut i8)) (field (ref null 41)) (field i16) (field (mut i16)) (field (mut i16)) (field i16) (field i8)))
    (type (;45;) (sub (array (mut f32))))
    (type (;46;) (struct (field (mut f32)) (field (mut (ref null 18))) (field i8)))
    (type (;47;) (sub (array i16)))
    (type (;48;) (sub (struct (field i64) (field i8) (field i16) (field (mut i16)) (field i16) (field (mut i16)) (field i8) (field i32) (field i16) (field i16))))
    (type (;49;) (array (mut i16)))
    (type (;50;) (struct (field i16) (field i16) (field (mut i16)) (field i8) (field (mut i16)) (field f32) (field i8) (field (mut i8)) (field (mut i8)) (field (mut i16)) (field (mut externref)) (field i8) (field (mut f32)) (field (mut i8)) (field (mut i16)) (field i16) (field i8) (field i8)))
    (type (;51;) (sub final 43 (struct (field i8) (field i16) (field i8) (field (mut (ref null 10))) (field (mut i64)) (field i8) (field f64) (field f64) (field (mut f64)) (field i16) (field (mut i8)) (field (mut i32)) (field i8) (field (mut i8)) (field (mut i64)) (field f32) (field (mut f64)) (field (mut f32)) (field i8) (field i8) (field (mut (ref null 7))) (field (mut i8)) (field i8) (field (mut i16)))))
  )
  (table (;0;) i64 265 663 exnref)
  (table (;1;) 2 425 (ref null 35))
  (memory (;0;) 0 10)
  (memory (;1;) i64 0 15)
  (global (;0;) (mut i64) i64.const -3628280827600895252)
  (global (;1;) (mut arrayref) i32.const -1140236414 i32.const -1076154811 array.new 31)
  (export "h" (func 0))
  (export "" (table 0))
  (export "2" (table 1))
  (export "3" (memory 0))
  (export "4" (memory 1))
  (export "5" (global 0))
  (export "6" (global 1))
  (func (;0;) (type 29) (param i64) (result i64)
    (local i32)
    global.get 1
    ref.is_null
    block (result i64) ;; label = @1
      try_table (type 10) ;; label = @2
        i64.const -4503599627370496
        i64.extend32_s
        f32.convert_i64_u
        struct.new_default 46
        f32.const 0x1.fep-142 (;=0.000000000000000000000000000000000000000000357;)
        try_table (type 39) (catch_all 0 (;@2;)) (catch_all 0 (;@2;)) (catch_all 0 (;@2;)) (catch_all 0 (;@2;)) (catch_all 0 (;@2;)) (catch_all 0 (;@2;)) ;; label = @3
          ref.null 28
          ref.is_null
          i64.load16_u align=1
          i64.load8_s 1
          try_table (result i32) (catch_all 1 (;@2;)) (catch_all 1 (;@2;)) (catch_all 0 (;@3;)) (catch_all 0 (;@3;)) (catch_all 1 (;@2;)) (catch_all 0 (;@3;)) ;; label = @4
            br 2 (;@2;)
            global.get 0
            try_table (type 22) (catch_all 1 (;@3;)) (catch_all 1 (;@3;)) (catch_all 1 (;@3;)) (catch_all 2 (;@2;)) (catch_all 2 (;@2;)) (catch_all 2 (;@2;)) ;; label = @5
              br 2 (;@3;)
              i64.const 128
              unreachable
            end
            unreachable
          end
          unreachable
        end
        unreachable
      end
      unreachable
    end
    unreachable
  )
)
