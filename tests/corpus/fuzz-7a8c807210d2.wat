;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=24), wasmtime Outcome(kind='trap', values=[], trap='OUT_OF_FUEL')
;; call - 0 0
(module
  (rec
    (type (;0;) (struct (field (mut i8)) (field (mut i8))))
    (type (;1;) (sub (func)))
    (type (;2;) (sub (func (param i32))))
    (type (;3;) (sub (func (param i64 f32) (result i64))))
    (type (;4;) (sub (array (mut i16))))
    (type (;5;) (func (result f64 f64)))
    (type (;6;) (array (mut i64)))
    (type (;7;) (sub (func)))
    (type (;8;) (struct))
    (type (;9;) (sub (func (param i64))))
    (type (;10;) (array (mut i8)))
    (type (;11;) (sub (array (mut f64))))
    (type (;12;) (sub (func (param f64) (result i32 funcref f64 arrayref i32 i32 f32))))
    (type (;13;) (array (mut i8)))
    (type (;14;) (sub (array (mut i8))))
    (type (;15;) (sub (array (mut i64))))
    (type (;16;) (sub (func (param i32 structref))))
    (type (;17;) (struct (field i16) (field i16) (field (mut i16)) (field (mut i8)) (field (mut i8)) (field (mut i8)) (field i16) (field (mut i8)) (field i16) (field i64) (field (mut f32))))
    (type (;18;) (struct (field i32) (field i16) (field i64) (field (mut i64)) (field i16) (field i32) (field i8) (field i16) (field (mut i16)) (field arrayref) (field i8) (field i16) (field (mut externref)) (field (mut i16))))
    (type (;19;) (sub (array (mut i16))))
    (type (;20;) (sub (array (mut i64))))
    (type (;21;) (func))
    (type (;22;) (sub (array i32)))
    (type (;23;) (array i16))
    (type (;24;) (sub (array (mut nullexternref))))
    (type (;25;) (func (result f64)))
    (type (;26;) (array (mut i8)))
    (type (;27;) (array i64))
    (type (;28;) (sub (struct (field i32) (field i64) (field (mut i16)) (field i16) (field (mut i16)) (field i64))))
    (type (;29;) (array (mut i8)))
    (type (;30;) (struct (field (mut i16)) (field (mut i8)) (field i8) (field (mut f64)) (field i64) (field (mut f64)) (field (mut f32)) (field i16) (field (mut i16)) (field f64) (field (mut i16)) (field i8) (field i16) (field i16)))
    (type (;31;) (array (mut i16)))
    (type (;32;) (sub (func)))
    (type (;33;) (sub (func)))
    (type (;34;) (array i32))
    (type (;35;) (struct (field i8) (field (mut i8)) (field i8) (field (mut i16)) (field (mut i16)) (field i16) (field (mut i8)) (field i32) (field (mut i16)) (field i16) (field i32) (field f32) (field (mut i8)) (field i8) (field (mut i8)) (field (mut i64)) (field (mut f64))))
    (type (;36;) (sub (func)))
    (type (;37;) (sub (struct (field i8) (field eqref) (field i32) (field f32) (field i64) (field (mut i8)) (field f64) (field i64) (field (mut i16)) (field (mut i8)))))
    (type (;38;) (func (result i32)))
    (type (;39;) (sub (struct (field (mut i8)))))
    (type (;40;) (sub (array i8)))
    (type (;41;) (array f64))
    (type (;42;) (func (param (ref null 17)) (result i32)))
    (type (;43;) (sub (struct (field (mut i32)) (field (mut i8)) (field (mut i16)))))
    (type (;44;) (array (mut i8)))
    (type (;45;) (sub 36 (func)))
    (type (;46;) (sub (array (mut i16))))
    (type (;47;) (func (result i32)))
    (type (;48;) (array i16))
    (type (;49;) (func (result f64)))
    (type (;50;) (array (mut i16)))
    (type (;51;) (func (param f32 nullref) (result exnref f64)))
    (type (;52;) (sub (array (mut i16))))
    (type (;53;) (sub (struct)))
    (type (;54;) (sub (func (param f32) (result f32 (ref null 2)))))
    (type (;55;) (sub (struct (field (mut i16)) (field i8) (field i16) (field i8) (field i32) (field (mut i16)) (field i8) (field (mut i64)) (field (mut f32)) (field (mut i8)))))
    (type (;56;) (struct (field (mut f64)) (field (mut i8)) (field (mut i16)) (field (mut i64)) (field (ref null 6)) (field i16) (field i32) (field i8) (field (mut i32)) (field i8) (field f32) (field (mut i16)) (field i8) (field i8) (field (mut i16)) (field (mut i16)) (field i64)))
    (type (;57;) (sub (struct (field i8) (field f64) (field i8) (field i16) (field i64) (field f64) (field i16) (field (mut f32)) (field i64) (field (mut i64)) (field i8) (field f64))))
    (type (;58;) (func (param f32 i64)))
    (type (;59;) (array (ref null 41)))
    (type (;60;) (struct (field i16)))
    (type (;61;) (sub (func)))
    (type (;62;) (sub (struct (field (mut i16)) (field (mut i16)) (field (mut i32)) (field i16) (field i32) (field (mut i64)) (field i8) (field (mut i64)) (field (mut i16)) (field f32) (field i8) (field i64) (field (mut i8)) (field (mut i8)) (field (mut i8)) (field (mut i16)) (field i8) (field (mut i32)) (field i16))))
    (type (;63;) (sub (struct (field (mut i64)) (field i16) (field i8) (field i16) (field (mut i16)) (field i8) (field f64) (field (mut f64)))))
    (type (;64;) (sub (array i64)))
    (type (;65;) (func (param f32) (result f64 i32 f32)))
  )
  (table (;0;) 0 129 nullref ref.null none)
  (table (;1;) 0 272 (ref null 29) i32.const 192320130 i32.const -315124449 i32.const 590413574 i32.const -611210294 i32.const -486748134 i32.const 821257043 i32.sub i32.const -1586140070 i32.const -1271383633 i32.add i32.add i32.mul i32.mul i32.add i32.add i32.const 2111709882 i32.add array.new_default 29)
  (memory (;0;) 1 13)
  (memory (;1;) 7 16)
  (memory (;2;) i64 0 11)
  (tag (;0;) (type 2) (param i32))
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (table 1))
  (export "3" (memory 0))
  (export "4" (memory 1))
  (export "5" (memory 2))
  (elem (;0;) arrayref)
  (elem (;1;) anyref)
  (func (;0;) (type 3) (param i64 f32) (result i64)
    (local f32)
    ref.null 17
    f32.const 0x1.fffp-134 (;=0.000000000000000000000000000000000000000091824;)
    ref.null 19
    ref.test (ref null 19)
    i32.clz
    i32.load 1 offset=17156
    f64.const -0x1.6719b61748d9bp+121 (;=-3729112118371796000000000000000000000;)
    i32.const -1909702477
    i64.load16_s offset=37036 align=1
    try_table (type 36) ;; label = @1
      struct.new 8
      struct.new 53
      br_on_null 0 (;@1;)
      local.get 1
      i32.trunc_f32_u
      i32.load16_u 1 offset=143323 align=1
      i64.load32_u 1 offset=294567 align=2
      array.new_fixed 6 0
      struct.new_default 53
      table.size 0
      array.new_default 27
      elem.drop 1
      f32.const 0x1.p-130 (;=0.000000000000000000000000000000000000000734684;)
      f32.floor
      local.tee 2
      f32.const nan (;=NaN;)
      local.get 2
      local.get 2
      f32.eq
      select
      block (type 33) ;; label = @2
        loop (type 49) (result f64) ;; label = @3
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
