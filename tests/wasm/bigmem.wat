(module $bigmem
  ;; The shape of a wasm-smith module (and of programs linked with a big --initial-memory):
  ;; 65341 pages (4 GiB less 195 pages) from the start, a maximum just above.
  (memory (export "memory") 65341 65379)
  ;; Stores at both ends of the memory and reads them back with a never-touched page.
  (func (export "main") (result i32)
    (i32.store (i32.const 0) (i32.const 11))
    (i32.store (i32.const 0xFF3CFFFC) (i32.const 31)) ;; the last word of page 65340
    (i32.add (i32.add (i32.load (i32.const 0)) (i32.load (i32.const 0xFF3CFFFC)))
             (i32.load (i32.const 0x80000000))))
  ;; One past the end: the trap "out of bounds memory access", untouched pages or not.
  (func (export "past_end") (result i32) (i32.load (i32.const 0xFF3D0000)))
  (func (export "poke") (param $a i32) (i32.store8 (local.get $a) (i32.const 1)))
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n))))
