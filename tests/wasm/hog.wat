(module $hog
  ;; Memory hungry on purpose: grows its memory and touches every 4 KiB page of it, from wasm
  ;; code or through a host call that writes a whole buffer (WASI random_get).
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; Grow to $pages pages (-1 if refused), else the size in pages.
  (func $grow_to (param $pages i32) (result i32)
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
        (then (return (i32.const -1))))))
    (memory.size))
  ;; Grow to $pages and write one byte into every 4 KiB page: the size in pages, or -1.
  (func (export "touch") (param $pages i32) (result i32)
    (local $addr i32) (local $end i32)
    (if (i32.eq (call $grow_to (local.get $pages)) (i32.const -1)) (then (return (i32.const -1))))
    (local.set $end (i32.shl (local.get $pages) (i32.const 16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $addr) (local.get $end)))
        (i32.store8 (local.get $addr) (i32.const 1))
        (local.set $addr (i32.add (local.get $addr) (i32.const 4096)))
        (br $next)))
    (memory.size))
  ;; Grow to $pages and let the kernel fill all of it with random bytes: the WASI errno.
  (func (export "random") (param $pages i32) (result i32)
    (if (i32.eq (call $grow_to (local.get $pages)) (i32.const -1)) (then (return (i32.const -1))))
    (call $random_get (i32.const 0) (i32.shl (local.get $pages) (i32.const 16))))
  (func (export "grow") (param $n i32) (result i32) (memory.grow (local.get $n)))
  ;; The sum of the bytes in [0, $n): reads pages that may never have been written.
  (func (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $s)))
