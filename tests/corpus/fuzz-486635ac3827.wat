;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; f(2147483648, 99, 3215, 2011173425771343): ours Outcome(kind='trap', values=[], trap=4), wasmtime Outcome(kind='trap', values=[], trap='OUT_OF_FUEL')
(module
  (type $sig_i32 (;0;) (func (param i32 i32) (result i32)))
  (type $sig_i64 (;1;) (func (param i32 i64) (result i64)))
  (type $sig_f32 (;2;) (func (param i32 f32) (result f32)))
  (type $sig_f64 (;3;) (func (param i32 f64) (result f64)))
  (type (;4;) (func (param f32) (result f32)))
  (type (;5;) (func (param f64) (result f64)))
  (type (;6;) (func (param i32 i64 f32 f64) (result i32)))
  (table $t (;0;) 6 funcref)
  (memory (;0;) 1 3)
  (global $g_i32 (;0;) (mut i32) i32.const 65535)
  (global $g_i64 (;1;) (mut i64) i64.const 64)
  (global $g_f32 (;2;) (mut f32) f32.const 0x1p+0 (;=1;))
  (global $g_f64 (;3;) (mut f64) f64.const 0x0p+0 (;=0;))
  (export "mem" (memory 0))
  (export "g_i32" (global $g_i32))
  (export "g_i64" (global $g_i64))
  (export "g_f32" (global $g_f32))
  (export "g_f64" (global $g_f64))
  (export "f" (func 6))
  (elem (;0;) (table $t) (i32.const 0) func $h_i32 $h_i64 $h_f32 $h_f64)
  (func $canon_f32 (;0;) (type 4) (param $x f32) (result f32)
    f32.const nan (;=NaN;)
    local.get $x
    local.get $x
    local.get $x
    f32.ne
    select
  )
  (func $canon_f64 (;1;) (type 5) (param $x f64) (result f64)
    f64.const nan (;=NaN;)
    local.get $x
    local.get $x
    local.get $x
    f64.ne
    select
  )
  (func $h_i32 (;2;) (type $sig_i32) (param $a i32) (param $b i32) (result i32)
    (local $l0 i32) (local $l1 i32)
    block (result i32) ;; label = @1
      i32.const 5
      local.set $l0
      i32.const 3
      table.get $t
      ref.is_null
      local.set $l1
      loop $loop
        i32.const 100
        i32.load8_u offset=1
        local.set $l1
        local.get $l0
        i32.const 1
        i32.sub
        local.tee $l0
        br_if $loop
      end
      local.get $l1
    end
  )
  (func $h_i64 (;3;) (type $sig_i64) (param $a i32) (param $b i64) (result i64)
    block (result i64) ;; label = @1
      i32.const 65532
      local.get $b
      global.get $g_i64
      i64.shl
      i64.store8 offset=8
      i64.const 9223372036854775807
    end
  )
  (func $h_f32 (;4;) (type $sig_f32) (param $a i32) (param $b f32) (result f32)
    i32.const 65
    f32.reinterpret_i32
    block (result f32) ;; label = @1
      i32.const 131068
      global.get $g_i64
      i64.store offset=65535
      local.get $b
    end
    f32.mul
  )
  (func $h_f64 (;5;) (type $sig_f64) (param $a i32) (param $b f64) (result f64)
    block (result f64) ;; label = @1
      i32.const 65532
      i32.const 100
      f64.load offset=65536
      call $canon_f64
      f64.store offset=65536
      block $out (result f64)
        block $b1
          block $b0
            global.get $g_i32
            br_table $b0 $b1 $b0
          end
          global.get $g_f64
          br $out
        end
        f64.const 0x1.f04p-1063 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000019614;)
      end
    end
  )
  (func (;6;) (type 6) (param $p0 i32) (param $p1 i64) (param $p2 f32) (param $p3 f64) (result i32)
    (local $l0 i32) (local $l1 i32)
    block $out (result i32)
      block $b1
        block $b0
          block $out (result i32)
            block $b1
              block $b0
                block $out (result i32)
                  block $b1
                    block $b0
                      global.get $g_i32
                      br_table $b0 $b1 $b0
                    end
                    local.get $p0
                    br $out
                  end
                  local.get $p0
                end
                i32.clz
                br_table $b0 $b1 $b0
              end
              i32.const 31
              br $out
            end
            i32.const 2
            memory.grow
            memory.size
            call $h_i32
          end
          br_table $b0 $b1 $b0
        end
        block (result i32) ;; label = @3
          block (result i32) ;; label = @4
            i32.const 65536
            i32.const 0
            i32.const 70000
            memory.fill
            local.get $p0
          end
          global.get $g_i32
          if (result i32) ;; label = @4
            global.get $g_i32
          else
            local.get $p0
          end
          br_if 0 (;@3;)
          drop
          block (result i32) ;; label = @4
            global.get $g_i32
            global.set $g_i32
            global.get $g_i32
          end
        end
        block (result i32) ;; label = @3
          i32.const -1
          f32.const 0x1.3cp-136 (;=0.00000000000000000000000000000000000000001417;)
          f32.const -inf (;=-inf;)
          f32.max
          call $canon_f32
          f32.store offset=8
          i32.const 1
          i32.clz
        end
        i32.const 0
        call_indirect (type $sig_i32)
        br $out
      end
      i32.const -8
      i32.load8_s offset=4
      block (result i32) ;; label = @2
        local.get $p0
        global.get $g_i32
        br_if 0 (;@2;)
        drop
        i32.const 167
      end
      call $h_i32
      block (result i32) ;; label = @2
        i32.const 0
        i32.const 0
        i32.load8_s offset=8
        i32.const 65536
        memory.copy
        block (result i32) ;; label = @3
          i32.const 4
          local.set $l0
          global.get $g_i32
          local.set $l1
          loop $loop
            local.get $p0
            local.set $l1
            local.get $l0
            i32.const 1
            i32.sub
            local.tee $l0
            br_if $loop
          end
          local.get $l1
        end
      end
      i32.and
    end
  )
)
