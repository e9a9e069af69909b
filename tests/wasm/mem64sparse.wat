;; memory64 above 4 GiB, touched sparsely: 5 GiB from the start (81920 pages), written at a few
;; addresses around and beyond the 4 GiB line and read back; only the touched pages are mapped.
(module
  (memory i64 81920 131072)
  (func $poke (param $a i64) (param $v i64) (i64.store (local.get $a) (local.get $v)))
  (func (export "main") (result i64)
    (call $poke (i64.const 0) (i64.const 1))
    (call $poke (i64.const 0xFFFF_FFFC) (i64.const 0x0102030405060708))  ;; straddles 4 GiB
    (call $poke (i64.const 0x1_0000_3000) (i64.const 3))
    (call $poke (i64.const 0x1_3FFF_FFF8) (i64.const 5))                  ;; last 8 bytes
    (i64.add
      (i64.add (i64.load (i64.const 0)) (i64.load offset=0xFFFFFFFC (i64.const 0)))
      (i64.add (i64.load (i64.const 0x1_0000_3000))
               (i64.add (i64.load (i64.const 0x1_3FFF_FFF8))
                        (i64.load (i64.const 0x1_2000_0000))))))      ;; untouched: zeros
  (func (export "size") (result i64) (memory.size))
  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
  (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
  (func (export "load_offset") (param i64) (result i32)
    (i32.load offset=0xFFFF_FFFF_FFFF_FFF0 (local.get 0)))
  (func (export "copy") (param i64 i64 i64) (result i64)
    (memory.copy (local.get 0) (local.get 1) (local.get 2))
    (i64.load (local.get 0)))
  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))
