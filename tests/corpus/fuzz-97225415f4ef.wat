;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; guest stopped: QEMU 7.2 aborted (decode_save_opc assertion, SIGABRT) on a vfcvt.rtz.x.f.v
;; that started a translation block (right after a vsetvli): SIMD truncations no longer
;; compile to RVV's static round-towards-zero conversions (docs/ARCHITECTURE.md, "SIMD").
;; call - 0
(module
  (type (;0;) (func (result i32 f64 f32)))
  (type (;1;) (func (param f32)))
  (table (;0;) 0 836 externref)
  (table (;1;) 7 840 externref)
  (global (;0;) f32 f32.const 0x1.18bbf8p-16 (;=0.000016733065;))
  (global (;1;) (mut externref) ref.null extern)
  (global (;2;) (mut funcref) ref.func 0)
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (table 1))
  (export "3" (global 0))
  (export "4" (global 1))
  (export "5" (global 2))
  (func (;0;) (type 1) (param f32)
    (local f64 v128 f32 f32 v128 v128 f32 v128 f64 f32 v128 f32 f32 f32 f64 f32 v128 f32 v128 v128)
    ref.func 0
    loop (type 0) (result i32 f64 f32) ;; label = @1
      table.size 0
      f64.convert_i32_s
      nop
      i32.trunc_f64_u
      f64.convert_i32_u
      f64.floor
      local.tee 1
      f64.const nan (;=NaN;)
      local.get 1
      local.get 1
      f64.eq
      select
      f32.demote_f64
      v128.const i32x4 0x5c105e70 0xf849a040 0x54102e86 0x86d44ace
      table.size 1
      i16x8.replace_lane 1
      i32x4.extadd_pairwise_i16x8_s
      i64x2.neg
      i64x2.neg
      f32x4.floor
      local.tee 2
      v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
      local.get 2
      local.get 2
      f32x4.eq
      v128.bitselect
      i8x16.extract_lane_u 14
      f32.reinterpret_i32
      f32.mul
      local.tee 3
      f32.const nan (;=NaN;)
      local.get 3
      local.get 3
      f32.eq
      select
      f32.sqrt
      local.tee 4
      f32.const nan (;=NaN;)
      local.get 4
      local.get 4
      f32.eq
      select
      f32x4.splat
      i32x4.trunc_sat_f32x4_u
      i16x8.abs
      f64x2.floor
      local.tee 5
      v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
      local.get 5
      local.get 5
      f64x2.eq
      v128.bitselect
      f64x2.trunc
      local.tee 6
      v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
      local.get 6
      local.get 6
      f64x2.eq
      v128.bitselect
      i32x4.abs
      i16x8.neg
      i64x2.neg
      i64x2.bitmask
      i32.clz
      f32.reinterpret_i32
      f32.sqrt
      local.tee 7
      f32.const nan (;=NaN;)
      local.get 7
      local.get 7
      f32.eq
      select
      i64.trunc_f32_s
      i64.const 4167784163527129202
      i64.le_u
      i64.extend_i32_u
      i32.const 8388607
      f32.convert_i32_u
      i32.trunc_f32_s
      local.get 0
      v128.const i32x4 0x21286f9b 0x6cd18ec1 0x8a7468c2 0x33cd8ad7
      f64x2.convert_low_i32x4_s
      i8x16.bitmask
      i32.extend8_s
      i8x16.splat
      f64x2.trunc
      local.tee 8
      v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
      local.get 8
      local.get 8
      f64x2.eq
      v128.bitselect
      i32x4.extract_lane 3
      global.get 0
      i32.trunc_sat_f32_s
      i32.div_u
      f32.convert_i32_s
      i32.reinterpret_f32
      i64.extend_i32_u
      i64.extend8_s
      f32.const -0x1.d1c74ap-65 (;=-0.000000000000000000049316214;)
      block (result f32) ;; label = @2
        ref.func 0
        f64.const 0x1.df105b299f964p-655 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000012517174662751493;)
        f64.trunc
        local.tee 9
        f64.const nan (;=NaN;)
        local.get 9
        local.get 9
        f64.eq
        select
        i64.trunc_sat_f64_s
        i64.eqz
        table.size 0
        f32.convert_i32_s
        br 1 (;@1;)
        i64.trunc_f32_u
        i64.extend8_s
        i64.eqz
        table.get 1
        table.size 1
        i64.const 2143289344
        ref.null func
        ref.func 0
        global.get 0
        i64.trunc_sat_f32_s
        i64.eqz
        i32.const -1048576
        br_if 1 (;@1;)
        ref.null func
        i64.const -6896542454080656140
        i32.wrap_i64
        i32.const 1271887799
        i32.rotl
        i64.extend_i32_u
        i64.eqz
        i32.ctz
        table.get 1
        global.set 1
        i64.const 8919594212557109328
        f32.convert_i64_s
        f32.nearest
        local.tee 10
        f32.const nan (;=NaN;)
        local.get 10
        local.get 10
        f32.eq
        select
        i64.const 140737488355327
        i64.popcnt
        loop ;; label = @3
          v128.const i32x4 0x673a6a4d 0x31fcdb5a 0x9bffd9d9 0x035518ba
          f64x2.nearest
          local.tee 11
          v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
          local.get 11
          local.get 11
          f64x2.eq
          v128.bitselect
          i8x16.bitmask
          i64.const 3778157431285195234
          f32.convert_i64_u
          i32.trunc_sat_f32_u
          i32.le_s
          i32.extend8_s
          f32.convert_i32_u
          i32.const -129
          i32.clz
          i32.eqz
          global.get 0
          br 0 (;@3;)
          f32.ceil
          local.tee 12
          f32.const nan (;=NaN;)
          local.get 12
          local.get 12
          f32.eq
          select
          call 0
          ref.func 0
          f64.const -0x1.62999cf7716ecp-309 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000013280981406966985;)
          br 0 (;@3;)
          ref.func 0
          i32.const -1154568376
          ref.null func
          ref.func 0
          global.set 2
          local.get 0
          loop ;; label = @4
            i64.const 511
            local.get 0
            f32.nearest
            local.tee 13
            f32.const nan (;=NaN;)
            local.get 13
            local.get 13
            f32.eq
            select
            f32.ceil
            local.tee 14
            f32.const nan (;=NaN;)
            local.get 14
            local.get 14
            f32.eq
            select
            loop (type 0) (result i32 f64 f32) ;; label = @5
              i64.const -4503599627370496
              i64.clz
              i64.extend32_s
              f64.const -0x1.f5450b9187ab8p-135 (;=-0.00000000000000000000000000000000000000004495542218956607;)
              nop
              global.get 2
              ref.is_null
              if ;; label = @6
                i64.const 3834194446264964828
                i64.extend16_s
                i64.ctz
                i64.extend32_s
                i64.ctz
                i32.const -16777217
                f32.convert_i32_s
                i64.trunc_f32_s
                f64.const 0x1.fffffffffcp-1036 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000271615461243;)
                i32.trunc_f64_s
                f64.convert_i32_u
                f64.sqrt
                local.tee 15
                f64.const nan (;=NaN;)
                local.get 15
                local.get 15
                f64.eq
                select
                i32.trunc_sat_f64_u
                i64.extend_i32_s
                i32.const 63
                f64.convert_i32_u
                i64.trunc_sat_f64_u
                i64.extend16_s
                f64.convert_i64_s
                f32.demote_f64
                i64.trunc_f32_u
                i64.lt_u
                i64.extend_i32_u
                i64.extend8_s
                f32.convert_i64_s
                f64.promote_f32
                i32.trunc_sat_f64_u
                f64.convert_i32_s
                i32.trunc_f64_u
                i32.ctz
                i64.extend_i32_s
                i64.le_s
                i8x16.splat
                f32x4.abs
                i16x8.extend_low_i8x16_s
                i16x8.abs
                i16x8.abs
                i32x4.all_true
                f32.const 0x1.3b0c3ep-17 (;=0.000009389157;)
                i32.reinterpret_f32
                br_table 0 (;@6;) 1 (;@5;) 2 (;@4;) 3 (;@3;) 5 (;@1;) 6 0 (;@6;)
                f64.convert_i32_u
                f32.demote_f64
                i32.trunc_sat_f32_s
                v128.const i32x4 0x61220bbc 0xbad31ee3 0xa3fef4e1 0x35f53982
                i32.const 1771164101
                i32.popcnt
                i32.extend8_s
                f32.reinterpret_i32
                f32.nearest
                local.tee 16
                f32.const nan (;=NaN;)
                local.get 16
                local.get 16
                f32.eq
                select
                call 0
                i32x4.extend_high_i16x8_u
                i64x2.bitmask
                i32.ge_u
                i32.popcnt
                br 3 (;@3;)
                i32.eqz
                f32.reinterpret_i32
                i32.trunc_sat_f32_s
                i32.eqz
                global.get 1
                global.get 2
                local.get 0
                f32.const inf (;=inf;)
                f32.ne
                i32.clz
                i32.extend8_s
                i16x8.splat
                f64x2.ceil
                local.tee 17
                v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
                local.get 17
                local.get 17
                f64x2.eq
                v128.bitselect
                ref.func 0
                global.set 2
                f64x2.abs
                i16x8.extend_low_i8x16_u
                i16x8.extadd_pairwise_i8x16_s
                i64x2.bitmask
                local.get 0
                f32.ceil
                local.tee 18
                f32.const nan (;=NaN;)
                local.get 18
                local.get 18
                f32.eq
                select
                block (result i32) ;; label = @7
                  local.get 0
                  block (type 0) (result i32 f64 f32) ;; label = @8
                    v128.const i32x4 0xc3dbd628 0x8482bb4f 0x513119be 0x2f823e93
                    i32x4.extend_high_i16x8_s
                    f32x4.nearest
                    local.tee 19
                    v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
                    local.get 19
                    local.get 19
                    f32x4.eq
                    v128.bitselect
                    f64x2.promote_low_f32x4
                    f64x2.floor
                    local.tee 20
                    v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
                    local.get 20
                    local.get 20
                    f64x2.eq
                    v128.bitselect
                    i8x16.popcnt
                    i8x16.extract_lane_s 6
                    i32.eqz
                    loop (result f32) ;; label = @9
                      table.size 1
                      loop (type 0) (result i32 f64 f32) ;; label = @10
                        table.size 0
                        unreachable
                      end
                      unreachable
                    end
                    unreachable
                  end
                  unreachable
                end
                unreachable
              end
              unreachable
            end
            unreachable
          end
          unreachable
        end
        unreachable
      end
      unreachable
    end
    unreachable
  )
)
