;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
(module
  (rec
    (type (;0;) (struct (field i16) (field i16) (field (mut i16))))
    (type (;1;) (array (mut f64)))
  )
  (table (;0;) 46 964 (ref null 1) f64.const -0x1.7a86be823a8dp+314 (;=-49348594022315850000000000000000000000000000000000000000000000000000000000000000000000000000000;) i32.const -1827505246 i32.const 1888204126 i32.const 785487234 i32.const 275094204 i32.const -1932350662 i32.const -816317791 i32.const 279326629 i32.const -594026407 i32.const 1993038935 i32.sub i32.mul i32.mul i32.const 1056090223 i32.sub i32.sub i32.mul i32.mul i32.add i32.mul array.new 1)
  (table (;1;) i64 334 503 (ref null 0) i32.const 117420974 i32.const -340161481 i32.const -898130542 i32.const -693242076 i32.const -998670250 i32.const 456701183 i32.const -64208600 i32.const 667484269 i32.sub i32.add i32.add i32.sub i32.mul i32.mul i32.mul i32.const 12758537 i32.const 1380602482 i32.add i32.add i32.const 1104744270 i32.const -2004727818 i32.const -785872135 i32.const -405640970 i32.mul i32.add i32.const 1993301219 i32.add i32.const 1502316982 i32.const 1585576152 i32.const 188716692 i32.mul i32.sub i32.add i32.mul i32.const -374785809 i32.const -1682899837 i32.mul struct.new 0)
  (export "" (table 0))
  (export "1" (table 1))
  (data (;0;) "\0fD")
)
