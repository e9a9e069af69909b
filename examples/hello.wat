(module $hello
  ;; Prints a greeting through the host function env.puts (an ecall into the guest kernel).
  (import "env" "puts" (func $puts (param i32 i32)))
  (import "env" "print_i32" (func $print_i32 (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello from WebAssembly on RISC-V!\n")
  (func $main (export "_start")
    (call $puts (i32.const 16) (i32.const 34))
    ;; 6 * 7, computed in U-mode and printed by the kernel
    (call $print_i32 (i32.mul (i32.const 6) (i32.const 7)))))
