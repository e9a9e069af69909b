;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; fI(): ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='MEMORY_OUT_OF_BOUNDS')
;; call 6608490f 
;; call - 
;; call 32 
(module
  (type (;0;) (func (result funcref externref f32 f64)))
  (table (;0;) 1 234 externref)
  (table (;1;) 6 117 externref)
  (memory (;0;) 0 15)
  (export "" (func 0))
  (func (;0;) (type 0) (result funcref externref f32 f64)
    (local f64 f32 f32 f32 f64 f64 f64 f32 f64 f32 f64 f64 f64 f64)
    ref.null extern
    i32.const -24920134
    table.grow 0
    f32.convert_i32_u
    i32.const 600188101
    i64.load8_u
    block (type 0) (result funcref externref f32 f64) ;; label = @1
      loop ;; label = @2
        i32.const 0
        unreachable
        br_table 0 (;@2;) 0 (;@2;)
        i32.const 0
        i32.load16_s
        i64.load32_s
        memory.size
        br_table 0 (;@2;) 0 (;@2;)
        i64.const 1619674405054376954
        call 0
        br 2
        f32.convert_i64_s
        i32.const 983056
        block (type 0) (result funcref externref f32 f64) ;; label = @3
          memory.size
          call 0
          i32.trunc_f64_u
          i64.load
          br 1 (;@2;)
          i64.popcnt
          i64.extend16_s
          f64.const 0x1.e04e2e4f77febp+662 (;=35903321523682450000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          ref.null extern
          local.get 0
          f32.const -0x1.a6f54ep-86 (;=-0.000000000000000000000000021353933;)
          f32.ceil
          local.tee 1
          f32.const nan (;=NaN;)
          i32.const 0
          select
          i64.trunc_sat_f32_s
          i64.eqz
          local.get 2
          br 1 (;@2;)
          call 0
          ref.null func
          ref.null func
          table.size 1
          memory.grow
          br_table 1 (;@2;) 1 (;@2;)
          ref.null func
          memory.size
          f64.convert_i32_s
          i64.trunc_sat_f64_s
          nop
          i32.wrap_i64
          br_table 1 (;@2;) 1 (;@2;)
          memory.size
          br_table 1 (;@2;) 1 (;@2;)
          i64.const -983164198213550396
          i64.extend16_s
          i64.clz
          f32.const 0x1.9610bp-66 (;=0.000000000000000000021496912;)
          local.tee 3
          f32.const nan (;=NaN;)
          i32.const 1
          select
          i32.trunc_sat_f32_u
          nop
          f32.reinterpret_i32
          i32.const -2103496855
          call 1
          i32.const 2097151
          f64.const 0x1.ffffffffffp-1034 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010864618449737;)
          i64.const 1068117126387997537
          br 1 (;@2;)
          i64.popcnt
          i64.const 0
          ref.null extern
          i32.const -889750130
          block ;; label = @4
          end
          memory.size
          call 2
          i64.trunc_f64_s
          i64.popcnt
          i64.eqz
          f64.const -0x1p+1021 (;=-22471164185778950000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          f64.const 0x1.p-1062 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000020237;)
          f64.floor
          local.tee 4
          f64.const nan (;=NaN;)
          local.get 4
          local.get 4
          f64.eq
          select
          call 0
          f64.trunc
          local.tee 5
          f64.const nan (;=NaN;)
          local.get 5
          local.get 5
          f64.eq
          select
          nop
          f64.neg
          f64.nearest
          local.tee 6
          f64.const nan (;=NaN;)
          local.get 6
          local.get 6
          f64.eq
          select
          i64.reinterpret_f64
          i64.eqz
          i64.load32_s align=2
          block ;; label = @4
            local.get 7
            i32.reinterpret_f32
            br_table 0 (;@4;) 2 (;@2;) 2 (;@2;)
            i32.const 1
            br_table 0 (;@4;) 2 (;@2;) 2 (;@2;)
            i32.const 0
            br_if 0 (;@4;)
            block (result f64) ;; label = @5
              memory.size
              f32.reinterpret_i32
              f32.neg
              f32.abs
              i32.const 1
              i64.const -2879421885759541751
              f64.convert_i64_s
              block (result funcref) ;; label = @6
                ref.null func
                memory.size
                memory.size
                i32.store8
                table.size 1
                i64.extend_i32_s
                i64.extend16_s
                ref.null extern
                f32.const -0x1.e44294p-122 (;=-0.0000000000000000000000000000000000003557781;)
                f64.const 0x1p-959 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000020522684006491881;)
                i64.const -4398046511105
                ref.null func
                call 1
                f64.ceil
                local.tee 8
                f64.const nan (;=NaN;)
                local.get 8
                local.get 8
                f64.eq
                select
                i64.trunc_f64_u
                i64.const -8796093022208
                i64.xor
                memory.size
                i64.const -1152921504606846977
                f32.const 0x1.dfffp-130 (;=0.000000000000000000000000000000000000001377521;)
                f32.trunc
                local.tee 9
                f32.const nan (;=NaN;)
                local.get 9
                local.get 9
                f32.eq
                select
                memory.size
                i64.load16_s align=1
                br 2 (;@4;)
                br 2 (;@4;)
                loop ;; label = @7
                  loop (result i64) ;; label = @8
                    br 0 (;@8;)
                    loop (type 0) (result funcref externref f32 f64) ;; label = @9
                      f32.const 0x1.ea9cbcp+28 (;=514444220;)
                      block (result f32) ;; label = @10
                        loop (type 0) (result funcref externref f32 f64) ;; label = @11
                          br 4 (;@7;)
                          call 1
                          call 1
                          i32.trunc_f64_u
                          call 1
                          f64.abs
                          br 2 (;@9;)
                          f64.trunc
                          local.tee 10
                          f64.const nan (;=NaN;)
                          local.get 10
                          local.get 10
                          f64.eq
                          select
                          i32.trunc_f64_u
                          i32.popcnt
                          i32.load
                          i32.load8_s offset=875772
                          call 1
                          ref.null func
                          i32.const 8388607
                          memory.size
                          i32.ne
                          br_table 0 (;@11;) 2 (;@9;) 3 (;@8;) 4 (;@7;) 7 (;@4;) 9 (;@2;) 2 (;@9;)
                          loop ;; label = @12
                            memory.size
                            if ;; label = @13
                              f64.const -0x1.98af0d6550278p-438 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000022491030512940955;)
                              i64.trunc_f64_s
                              call 0
                              i64.const 5514572330447793560
                              br 4 (;@9;)
                              i64.clz
                              f32.convert_i64_u
                              block (type 0) (result funcref externref f32 f64) ;; label = @14
                                i64.const 0
                                f32.convert_i64_u
                                f64.const -nan:0xfefffffffffff (;=NaN;)
                                f64.const -0x1.0d8a5a3e23ef2p-321 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002464650590266556;)
                                block (type 0) (result funcref externref f32 f64) ;; label = @15
                                  call 0
                                  f64.floor
                                  local.tee 11
                                  f64.const nan (;=NaN;)
                                  local.get 11
                                  local.get 11
                                  f64.eq
                                  select
                                  memory.size
                                  i64.load16_u
                                  memory.size
                                  f32.load align=2
                                  block (type 0) (result funcref externref f32 f64) ;; label = @16
                                    f64.const 0x1.36dc82c855af7p-160 (;=0.0000000000000000000000000000000000000000000000008308593010263567;)
                                    f64.sqrt
                                    local.tee 12
                                    f64.const nan (;=NaN;)
                                    local.get 12
                                    local.get 12
                                    f64.eq
                                    select
                                    ref.null func
                                    br 8 (;@8;)
                                    i32.const 0
                                    i64.load8_u
                                    f64.convert_i64_s
                                    f64.nearest
                                    local.tee 13
                                    f64.const nan (;=NaN;)
                                    local.get 13
                                    local.get 13
                                    f64.eq
                                    select
                                    memory.size
                                    i32.eqz
                                    f32.reinterpret_i32
                                    i64.trunc_sat_f32_s
                                    nop
                                    br 9 (;@7;)
                                    i64.extend8_s
                                    i64.extend16_s
                                    f64.convert_i64_s
                                    i64.trunc_f64_u
                                    f32.convert_i64_s
                                    i32.reinterpret_f32
                                    f32.load align=2
                                    unreachable
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
    end
    unreachable
  )
  (func (;1;) (type 0) (result funcref externref f32 f64)
    unreachable
  )
  (func (;2;) (type 0) (result funcref externref f32 f64)
    unreachable
  )
)
