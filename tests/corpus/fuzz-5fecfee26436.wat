;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; guest stopped: QEMU 7.2 aborted (decode_save_opc assertion, SIGABRT) on a vfcvt.rtz.x.f.v
;; that started a translation block (right after a vsetvli): SIMD truncations no longer
;; compile to RVV's static round-towards-zero conversions (docs/ARCHITECTURE.md, "SIMD").
;; call 59e29ca772601e 0
;; call - 0
(module
  (type (;0;) (func (param i64) (result i32)))
  (memory (;0;) 0 8)
  (export "Y\u{2727}r`\u{1e}" (func 0))
  (export "" (func 1))
  (export "2" (memory 0))
  (func (;0;) (type 0) (param i64) (result i32)
    (local i32 f64 v128 v128 v128 v128 f64 v128 f32 f32 f32 f32 f32 f32 v128 v128)
    block (result f32) ;; label = @1
      block (result f32) ;; label = @2
        f64.const 0x1.599faa18358e1p+623 (;=46994911371462090000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
        f64.trunc
        local.tee 2
        f64.const nan (;=NaN;)
        local.get 2
        local.get 2
        f64.eq
        select
        v128.const i32x4 0xa60b11aa 0x504755f3 0x3a94e2e8 0xb543586c
        f32x4.sqrt
        local.tee 3
        v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
        local.get 3
        local.get 3
        f32x4.eq
        v128.bitselect
        f64x2.floor
        local.tee 4
        v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
        local.get 4
        local.get 4
        f64x2.eq
        v128.bitselect
        f64x2.trunc
        local.tee 5
        v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
        local.get 5
        local.get 5
        f64x2.eq
        v128.bitselect
        f64x2.floor
        local.tee 6
        v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
        local.get 6
        local.get 6
        f64x2.eq
        v128.bitselect
        i16x8.bitmask
        i32.load8_u
        v128.load8x8_s align=4
        i32x4.all_true
        loop (result f32) ;; label = @3
          f64.const 0x1.519e7258d7a22p-302 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000016185575139666058;)
          i64.reinterpret_f64
          f64.convert_i64_u
          i64.reinterpret_f64
          local.set 0
          f64.const 0x1.f8p-1069 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000031;)
          f64.const -nan:0xfffffffffff7f (;=NaN;)
          f64.floor
          local.tee 7
          f64.const nan (;=NaN;)
          local.get 7
          local.get 7
          f64.eq
          select
          i32.trunc_sat_f64_s
          memory.size
          block ;; label = @4
            local.get 0
            memory.size
            i32.extend8_s
            i8x16.splat
            f64x2.trunc
            local.tee 8
            v128.const i32x4 0x00000000 0x7ff80000 0x00000000 0x7ff80000
            local.get 8
            local.get 8
            f64x2.eq
            v128.bitselect
            i16x8.extend_high_i8x16_u
            f32x4.convert_i32x4_s
            f32x4.abs
            i16x8.extend_high_i8x16_s
            i64x2.all_true
            i32.load align=2
            v128.load32x2_u align=2
            i16x8.extract_lane_u 5
            v128.load8x8_s align=1
            i32x4.extract_lane 1
            block (result i64) ;; label = @5
              i32.const -1840854741
              i64.load8_s
              i32.wrap_i64
              f32.convert_i32_s
              i64.trunc_f32_s
              ref.null func
              memory.size
              f32.reinterpret_i32
              f32.ceil
              local.tee 9
              f32.const nan (;=NaN;)
              local.get 9
              local.get 9
              f32.eq
              select
              f32.abs
              f32.sqrt
              local.tee 10
              f32.const nan (;=NaN;)
              local.get 10
              local.get 10
              f32.eq
              select
              f32.abs
              ref.null extern
              f32.const -nan:0x7fc000 (;=NaN;)
              f32.nearest
              local.tee 11
              f32.const nan (;=NaN;)
              local.get 11
              local.get 11
              f32.eq
              select
              f32x4.splat
              i16x8.extend_low_i8x16_s
              i32x4.trunc_sat_f32x4_u
              i16x8.extadd_pairwise_i8x16_u
              i32x4.extadd_pairwise_i16x8_s
              v128.const i32x4 0xef5476a7 0x0766803d 0x9cbb3085 0xc7d8de80
              i64x2.sub
              i32x4.extadd_pairwise_i16x8_u
              f32.const -0x1.a322dcp-57 (;=-0.000000000000000011360709;)
              i32.trunc_f32_s
              br_table 1 (;@4;) 2 (;@3;) 2 (;@3;)
              i16x8.extadd_pairwise_i8x16_u
              i32x4.extend_low_i16x8_s
              f32.const 0x1.c0b366p+7 (;=224.35039;)
              f64.promote_f32
              memory.size
              i64.load16_u align=1
              i64.ctz
              f64.convert_i64_s
              i64.reinterpret_f64
              data.drop 1
              local.tee 0
              memory.size
              f64.const -0x1.fffffffffffffp+512 (;=-26815615859885190000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
              br 2 (;@3;)
              data.drop 0
              f32.const -0x1.fffffep+127 (;=-340282350000000000000000000000000000000;)
              f32.nearest
              local.tee 12
              f32.const nan (;=NaN;)
              local.get 12
              local.get 12
              f32.eq
              select
              f32.abs
              i32.trunc_f32_s
              f32.load
              f32.trunc
              local.tee 13
              f32.const nan (;=NaN;)
              local.get 13
              local.get 13
              f32.eq
              select
              v128.const i32x4 0x2f593a5b 0xa1bedc24 0xb9376407 0x590d21d1
              ref.null extern
              ref.null func
              block ;; label = @6
              end
              ref.null func
              data.drop 0
              br 1 (;@4;)
              memory.size
              local.set 1
              local.get 1
              i32.load
              i64.load32_u
              f32.convert_i64_u
              f32.trunc
              local.tee 14
              f32.const nan (;=NaN;)
              local.get 14
              local.get 14
              f32.eq
              select
              local.get 0
              memory.size
              i32.const 262144
              i32.lt_u
              br_if 0 (;@5;)
              f64.reinterpret_i64
              f32.demote_f64
              f32.le
              br 1 (;@4;)
              v128.load32x2_u align=2
              i16x8.extend_high_i8x16_u
              i8x16.abs
              i64x2.extend_low_i32x4_u
              f32x4.sqrt
              local.tee 15
              v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
              local.get 15
              local.get 15
              f32x4.eq
              v128.bitselect
              memory.size
              v128.load32x2_u align=2
              i32x4.all_true
              memory.size
              v128.load align=4
              f64x2.convert_low_i32x4_s
              loop (result i32) ;; label = @6
                memory.size
                v128.load8_splat
                f32x4.neg
                i16x8.extend_low_i8x16_s
                i64x2.all_true
                i32.load16_s
                v128.load8x8_u align=1
                i64x2.extract_lane 1
                v128.const i32x4 0x9c80907a 0xcb19cbf8 0xd7a63e22 0xedc29bfe
                i64x2.bitmask
                v128.load8x8_u
                i32.const -813162278
                i32.popcnt
                i32.clz
                i32.load8_u
                i8x16.splat
                v128.any_true
                i64.load32_s offset=322292 align=2
                local.get 0
                i64.gt_u
                i32.load16_s
                i64x2.shr_s
                i16x8.extadd_pairwise_i8x16_u
                i16x8.extend_low_i8x16_u
                i32x4.trunc_sat_f64x2_u_zero
                loop (result f64) ;; label = @7
                  ref.null func
                  data.drop 0
                  block ;; label = @8
                    v128.const i32x4 0x35a5402a 0xe08be8cf 0x3d924a33 0x89136863
                    f32x4.extract_lane 3
                    nop
                    f64.promote_f32
                    i64.const 5933990179391474928
                    i64.ctz
                    f32.convert_i64_u
                    local.get 0
                    loop (type 0) (param i64) (result i32) ;; label = @9
                      i64.popcnt
                      i32.wrap_i64
                      v128.load32_zero align=1
                      i16x8.extend_low_i8x16_s
                      f32x4.abs
                      f64x2.neg
                      i8x16.extract_lane_s 7
                      i32.const 524304
                      i32.popcnt
                      i64.load8_s
                      f32.convert_i64_u
                      i64.const 9221120237041090560
                      f32.const 0x1.p-145 (;=0.000000000000000000000000000000000000000000022;)
                      i32.trunc_f32_s
                      i32.eqz
                      v128.load8x8_u align=2
                      i8x16.all_true
                      i32.load8_u
                      v128.load64_splat
                      i8x16.all_true
                      v128.load8x8_s
                      f64x2.extract_lane 1
                      br 3 (;@6;)
                      i64.trunc_f64_s
                      memory.size
                      local.tee 1
                      br_if 5 (;@4;)
                      i64.and
                      call 1
                      i32.const 682974460
                      i32.rotl
                      i64.load32_u
                      memory.size
                      memory.grow
                      memory.grow
                      i64.const 1136259736464811274
                      i64.store8
                      local.tee 0
                      i32.const -1054941046
                      f32.reinterpret_i32
                      loop ;; label = @10
                        v128.const i32x4 0x17bc2f58 0xe354e6c3 0x81551b9d 0x5eee099b
                        f32x4.floor
                        local.tee 16
                        v128.const i32x4 0x7fc00000 0x7fc00000 0x7fc00000 0x7fc00000
                        local.get 16
                        local.get 16
                        f32x4.eq
                        v128.bitselect
                        f64x2.extract_lane 1
                        memory.size
                        unreachable
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
    end
    unreachable
  )
  (func (;1;) (type 0) (param i64) (result i32)
    unreachable
  )
  (data (;0;) (i32.const 0) "")
  (data (;1;) "")
)
