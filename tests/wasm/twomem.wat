;; Multi-memory: a 32-bit and a 64-bit memory, each with its own data, copied between.
(module
  (memory $a (export "a") 1 2)
  (memory $b (export "b") i64 2 4)
  (data (memory $a) (i32.const 16) "abcdefgh")
  (data (memory $b) (i64.const 65530) "0123456789")
  ;; copy n bytes from $b at src to $a at dst; the sum of $a's bytes [dst, dst+n)
  (func (export "b_to_a") (param $dst i32) (param $src i64) (param $n i32) (result i32)
    (local $sum i32) (local $i i32)
    (memory.copy $a $b (local.get $dst) (local.get $src) (local.get $n))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum)
          (i32.load8_u $a (i32.add (local.get $dst) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))
  ;; copy n bytes from $a at src to $b at dst, then read 8 bytes of $b at dst
  (func (export "a_to_b") (param $dst i64) (param $src i32) (param $n i32) (result i64)
    (memory.copy $b $a (local.get $dst) (local.get $src) (local.get $n))
    (i64.load $b (local.get $dst)))
  ;; grow $b only: sizes of both after
  (func (export "grow_b") (param i64) (result i64)
    (drop (memory.grow $b (local.get 0)))
    (i64.add (i64.mul (memory.size $b) (i64.const 1000)) (i64.extend_i32_u (memory.size $a))))
  (func (export "fill_b") (param i64 i32 i64) (result i64)
    (memory.fill $b (local.get 0) (local.get 1) (local.get 2))
    (i64.load8_u $b (local.get 0))))
