(module $memory
  ;; Stores and loads of every width, memory.size/grow and a store far outside memory.
  (memory (export "memory") 1 4)
  (global $counter (mut i32) (i32.const 0))
  (func (export "roundtrip") (param $addr i32) (param $v i64) (result i64)
    (i64.store (local.get $addr) (local.get $v))
    (i64.load (local.get $addr)))
  (func (export "bytes") (param $addr i32) (result i32)
    ;; write 0x11223344 then read back its pieces
    (i32.store (local.get $addr) (i32.const 0x11223344))
    (i32.add
      (i32.load8_u offset=3 (local.get $addr))
      (i32.shl (i32.load16_s (local.get $addr)) (i32.const 8))))
  (func (export "sum") (param $n i32) (result i32)
    ;; write 1..n as i32s, then sum them back from memory
    (local $i i32) (local $s i32)
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2))
                   (i32.add (local.get $i) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done2
      (loop $add
        (br_if $done2 (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s)
                               (i32.load (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $add)))
    (local.get $s))
  (func (export "grow") (param $d i32) (result i32)
    (drop (memory.grow (local.get $d)))
    (memory.size))
  (func (export "count") (result i32)
    (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
    (global.get $counter))
  (func (export "poke") (param $addr i32) (param $v i32)
    (i32.store (local.get $addr) (local.get $v)))
  (func (export "peek") (param $addr i32) (result i32)
    (i32.load (local.get $addr)))
  (func (export "wild") (result i32)
    ;; far outside the 64 KiB linear memory: the kernel must catch this
    (i32.store (i32.const 0x7fff0000) (i32.const 1))
    (i32.const 0)))
