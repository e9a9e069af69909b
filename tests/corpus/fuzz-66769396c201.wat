;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call - 
(module
  (rec
    (type (;0;) (sub (struct (field i8) (field i64) (field (mut i8)) (field (mut i8)) (field i64) (field (mut i16)) (field i16) (field (mut nullexternref)) (field structref) (field i8) (field (mut i8)) (field funcref) (field i8))))
    (type (;1;) (sub (array i8)))
    (type (;2;) (struct (field (mut i8)) (field i8) (field i32) (field i16) (field (mut i32)) (field (mut i16)) (field i16) (field i16) (field i32) (field (mut i8))))
    (type (;3;) (func (param i32 i64 i32 i64)))
    (type (;4;) (sub (func (result i32))))
    (type (;5;) (array i8))
    (type (;6;) (func))
    (type (;7;) (sub (func (param f64))))
    (type (;8;) (struct))
    (type (;9;) (sub (struct (field (ref null 7)) (field i16) (field (mut i16)))))
    (type (;10;) (func (result i64)))
    (type (;11;) (array (mut i8)))
    (type (;12;) (func (result i32 i32)))
    (type (;13;) (sub 1 (array i8)))
    (type (;14;) (struct (field i16) (field i8) (field (mut i16)) (field i16) (field (mut i16)) (field exnref) (field i32) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field (mut i8)) (field i64)))
    (type (;15;) (func))
    (type (;16;) (func))
    (type (;17;) (struct (field (mut anyref)) (field (mut i16)) (field i64) (field (mut i64)) (field i8) (field (mut i16)) (field (mut i8)) (field (mut i8)) (field i8)))
    (type (;18;) (func (param i64 f32) (result i32)))
    (type (;19;) (struct (field i16) (field i16) (field i8) (field i64) (field (mut i8)) (field (mut i8)) (field i8) (field (mut i8)) (field (mut i16)) (field i16) (field (mut i16)) (field i8) (field i8) (field (mut i8))))
    (type (;20;) (func (result f32)))
    (type (;21;) (struct (field f32) (field (mut f64)) (field i8) (field i16) (field i8) (field i16) (field i16) (field i16) (field (mut i8)) (field (mut i8)) (field (mut i64)) (field i64) (field (mut anyref)) (field f64) (field i32) (field (mut i8)) (field i64) (field i16) (field (mut f32)) (field (mut i8))))
    (type (;22;) (sub (func (param (ref null 5) i32 (ref null 3)) (result i32 f32))))
    (type (;23;) (sub (array (mut i64))))
    (type (;24;) (array (mut i16)))
    (type (;25;) (sub (struct (field i64) (field (mut i32)) (field f64) (field (mut i8)) (field i8) (field (mut i16)) (field i16) (field (mut i32)) (field (mut i16)) (field (mut exnref)) (field (mut i8)) (field i16) (field (mut i8)) (field i8))))
    (type (;26;) (func (param i32)))
    (type (;27;) (sub (func (param f32) (result i64))))
    (type (;28;) (struct (field (mut f32)) (field i16)))
    (type (;29;) (sub (func)))
    (type (;30;) (sub (struct (field (mut i64)) (field nullexternref) (field i16) (field i16) (field (mut f32)) (field (mut f32)) (field i8) (field i16))))
    (type (;31;) (sub (array i32)))
    (type (;32;) (func (param i32 f32 i32 i32 i64 f64 i64) (result i64 nullexternref)))
    (type (;33;) (sub (struct (field i16) (field i8) (field i16) (field i8) (field (mut i8)) (field i8) (field i31ref) (field f32) (field i64) (field (mut i16)) (field (mut i16)) (field i8) (field i16) (field i16) (field f32))))
    (type (;34;) (struct (field (mut i8)) (field i16) (field i16) (field i8) (field (mut i8)) (field i16) (field (mut i16)) (field (mut i8)) (field i16)))
    (type (;35;) (struct))
    (type (;36;) (sub (struct (field i16) (field (mut i16)) (field i16) (field (mut (ref null 24))) (field (mut nullfuncref)) (field (mut i8)) (field i8) (field i8) (field (mut i8)) (field (mut i8)) (field f64) (field f32) (field (mut i16)) (field i16) (field i8) (field (mut i16)) (field (mut i8)))))
    (type (;37;) (struct (field i16) (field (mut i16)) (field i16) (field f32) (field i16) (field (mut i8)) (field i16) (field i16) (field (mut i16))))
    (type (;38;) (sub (struct (field (mut i16)) (field (mut i16)) (field (mut i32)) (field f64) (field i16) (field (mut i16)) (field (mut i16)) (field f64) (field i8) (field i16) (field f64) (field (mut i16)) (field (mut i64)) (field (mut f32)))))
    (type (;39;) (func (result f64 f32 i32 i32 (ref null 23))))
    (type (;40;) (sub (struct (field i16) (field i8) (field (mut i16)) (field (mut f32)) (field f64) (field i8) (field i8) (field (mut i8)) (field (mut i16)) (field (mut (ref null 39))) (field i16) (field i8) (field (mut i8)) (field (mut i32)) (field (mut i16)))))
    (type (;41;) (sub (struct (field (mut i8)) (field i16) (field i64) (field i16) (field i8) (field nullref) (field (mut (ref null 15))) (field (mut structref)) (field (mut i16)) (field i16) (field i16) (field i32) (field (mut i16)) (field (mut i8)))))
    (type (;42;) (sub (array (mut i16))))
  )
  (table (;0;) i64 822 958 externref struct.new_default 33 extern.convert_any)
  (table (;1;) 0 390 (ref null 31) i32.const -779058781 i32.const -1088919271 array.new 31)
  (memory (;0;) i64 0 14)
  (global (;0;) (mut (ref null 30)) i64.const 3165045599505604595 ref.null noextern i32.const 642341952 i32.const 2056703166 f32.const 0x1.fdfa9cp+16 (;=130554.61;) f32.const -0x1.0e375ep-77 (;=-0.000000000000000000000006984927;) i32.const 187949829 i32.const -1955987789 i32.const 1183616043 i32.const -1842012000 i32.const 927916241 i32.const 1478910144 i32.const -63967200 i32.const -883855216 i32.const 1864215995 i32.const -1255511762 i32.add i32.sub i32.sub i32.sub i32.add i32.mul i32.mul i32.mul i32.mul i32.const 501958301 i32.sub i32.const -1399544475 struct.new 30)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (table 0))
  (export "3" (table 1))
  (export "4" (memory 0))
  (export "5" (global 0))
  (func (;0;) (type 15)
    (local f64 f64)
    struct.new 35
    f32.const -0x1p+1 (;=-2;)
    global.get 0
    local.get 0
    i32.trunc_sat_f64_s
    i32.popcnt
    memory.size
    table.size 0
    i64.ge_u
    i32.lt_s
    f64.convert_i32_u
    memory.size
    br 0
    i64.extend32_s
    try_table (type 4) (result i32) ;; label = @1
      br 1
      f64.const -0x1.4c54040655541p+562 (;=-19596782628600535000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      f64.floor
      local.tee 1
      f64.const nan (;=NaN;)
      local.get 1
      local.get 1
      f64.eq
      select
      i32.const -342027315
      table.get 1
      call 0
      i64.const 169935556070559
      unreachable
    end
    unreachable
  )
  (func (;1;) (type 39) (result f64 f32 i32 i32 (ref null 23))
    unreachable
  )
  (data (;0;) "")
)
