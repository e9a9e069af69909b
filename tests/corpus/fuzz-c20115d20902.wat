;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=18), wasmtime Outcome(kind='error', values=[], trap='error while executing at wasm backtrace:\n    0:     0x6b - <unknown>!<wasm function 0>\n\nCaused by:\n    thrown Wasm exception\n')
;; call - 
(module
  (type (;0;) (func (param i64) (result i64)))
  (type (;1;) (func))
  (table (;0;) i64 476 528 exnref)
  (tag (;0;) (type 1))
  (start 0)
  (elem (;0;) (table 0) (i64.const 6) exnref)
  (elem (;1;) (table 0) (i64.const 62) exnref)
  (elem (;2;) declare externref)
  (elem (;3;) funcref)
  (func (;0;) (type 1)
    (local i32 f64 f64 f64 f64 f32 f64 f64 f64 f64 f32 f32)
    throw 0
    f32.const 0x1.87e522p-57 (;=0.000000000000000010622337;)
    local.get 0
    br_if 0
    elem.drop 2
    f64.promote_f32
    f64.nearest
    local.tee 1
    f64.const nan (;=NaN;)
    local.get 1
    local.get 1
    f64.eq
    select
    call 0
    ref.null extern
    local.get 0
    if ;; label = @1
      elem.drop 3
      try_table (catch 0 1) (catch_all 0 (;@1;)) (catch_all 1) (catch_all 1) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch_all 1) ;; label = @2
        local.get 0
        i32.popcnt
        local.tee 0
        try_table (type 1) (catch 0 2) (catch 0 0 (;@2;)) (catch 0 2) (catch 0 1 (;@1;)) (catch 0 0 (;@2;)) ;; label = @3
          try_table (type 1) (catch 0 2 (;@1;)) (catch 0 0 (;@3;)) (catch 0 0 (;@3;)) (catch 0 1 (;@2;)) (catch_all 0 (;@3;)) ;; label = @4
          end
        end
        return_call 0
        i32.const 1071122411
        i32.ctz
        f64.const 0x1.fffffffffffp-1030 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000017383389519587;)
        f64.const -0x1.a3cdaa4a30a69p-976 (;=-0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002567616732641161;)
        f64.neg
        loop (result f32) ;; label = @3
          i64.const 0
          try_table (type 0) (param i64) (result i64) (catch 0 0 (;@3;)) ;; label = @4
            data.drop 0
            local.get 0
            f32.reinterpret_i32
            i64.trunc_sat_f32_u
            table.size 0
            f32.convert_i64_s
            i32.trunc_sat_f32_u
            i32.extend8_s
            if (type 0) (param i64) (result i64) ;; label = @5
              f64.reinterpret_i64
              f64.nearest
              local.tee 2
              f64.const nan (;=NaN;)
              local.get 2
              local.get 2
              f64.eq
              select
              i32.trunc_f64_s
              i32.eqz
              local.set 0
              elem.drop 2
              ref.null extern
              elem.drop 0
              ref.null extern
              throw 0
              f64.const -0x1.31af78382e107p-890 (;=-0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000014465672562242236;)
              f64.ceil
              local.tee 3
              f64.const nan (;=NaN;)
              local.get 3
              local.get 3
              f64.eq
              select
              f64.abs
              i64.trunc_f64_s
              i64.popcnt
              ref.null extern
              elem.drop 3
              call 0
              data.drop 0
              call 0
              i64.const 770376887918532174
              f64.reinterpret_i64
              i64.trunc_f64_s
              loop (type 1) ;; label = @6
                i64.const 1
                table.size 0
                i64.ge_s
                f64.convert_i32_u
                i32.const 131072
                i32.extend8_s
                local.set 0
                f64.trunc
                local.tee 4
                f64.const nan (;=NaN;)
                local.get 4
                local.get 4
                f64.eq
                select
                i64.reinterpret_f64
                i64.extend16_s
                call 0
                f32.convert_i64_u
                i64.trunc_f32_u
                table.size 0
                call 0
                f32.convert_i64_u
                i32.reinterpret_f32
                i32.ctz
                loop (type 1) ;; label = @7
                  f32.const 0x1.2d6d0ep-31 (;=0.0000000005482907;)
                  i64.const 7398811253574142636
                  i64.eqz
                  local.set 0
                  i64.trunc_sat_f32_u
                  block ;; label = @8
                    try_table (type 1) (catch_all 2 (;@6;)) (catch_all 6 (;@2;)) (catch 0 7 (;@1;)) (catch_all 0 (;@8;)) (catch 0 1 (;@7;)) (catch_all 1 (;@7;)) (catch_all 1 (;@7;)) (catch_all 8) ;; label = @9
                      table.size 0
                      f32.const 0x1.fffffep-96 (;=0.000000000000000000000000000025243547;)
                      elem.drop 2
                      br 6 (;@3;)
                      f64.promote_f32
                      i64.trunc_sat_f64_u
                      i64.div_s
                      f32.convert_i64_s
                      f32.trunc
                      local.tee 5
                      f32.const nan (;=NaN;)
                      local.get 5
                      local.get 5
                      f32.eq
                      select
                      ref.null exn
                      return_call 0
                      return_call 0
                      loop (result i32) ;; label = @10
                        ref.null func
                        i64.const 4503599627370495
                        i64.clz
                        loop (type 0) (param i64) (result i64) ;; label = @11
                          i64.ctz
                          elem.drop 0
                          i32.const 0
                          call 0
                          i32.const 128
                          i32.div_u
                          elem.drop 3
                          f32.reinterpret_i32
                          i64.trunc_sat_f32_u
                          local.get 0
                          i32.extend8_s
                          f32.convert_i32_u
                          i64.trunc_sat_f32_u
                          br 5 (;@6;)
                          i64.eq
                          local.set 0
                          block (type 1) ;; label = @12
                            loop (result i32) ;; label = @13
                              block (type 1) ;; label = @14
                                i32.const 420885604
                                f64.convert_i32_u
                                i64.reinterpret_f64
                                try_table (catch 0 4 (;@10;)) (catch_all 12 (;@2;)) (catch 0 8 (;@6;)) (catch_all 2 (;@12;)) (catch_all 6 (;@8;)) (catch_all 5 (;@9;)) (catch_all 2 (;@12;)) (catch 0 2 (;@12;)) (catch_all 14) ;; label = @15
                                  f64.const inf (;=inf;)
                                  f64.floor
                                  local.tee 6
                                  f64.const nan (;=NaN;)
                                  local.get 6
                                  local.get 6
                                  f64.eq
                                  select
                                  return_call 0
                                  i64.reinterpret_f64
                                  table.get 0
                                  loop (type 1) ;; label = @16
                                    i64.const 0
                                    return_call 0
                                    table.get 0
                                    f64.const -0x1.7f29eceaee38ap-241 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000004235605649135502;)
                                    i32.trunc_sat_f64_u
                                    i32.popcnt
                                    f64.convert_i32_s
                                    call 0
                                    call 0
                                    elem.drop 1
                                    i64.trunc_sat_f64_s
                                    f64.const -nan:0xffffffff7ffff (;=NaN;)
                                    i32.const -2147483648
                                    f32.const -nan:0x7e0000 (;=NaN;)
                                    i32.trunc_f32_s
                                    i32.gt_u
                                    f32.const -0x1p+65 (;=-36893490000000000000;)
                                    f64.const 0x1.13745cf059eeep-291 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000027044641953777393;)
                                    table.size 0
                                    f64.convert_i64_u
                                    f64.div
                                    local.tee 7
                                    f64.const nan (;=NaN;)
                                    local.get 7
                                    local.get 7
                                    f64.eq
                                    select
                                    f64.nearest
                                    local.tee 8
                                    f64.const nan (;=NaN;)
                                    local.get 8
                                    local.get 8
                                    f64.eq
                                    select
                                    i64.reinterpret_f64
                                    i64.eqz
                                    if (type 1) ;; label = @17
                                    else
                                      try_table (type 1) (catch_all 8 (;@9;)) (catch_all 7 (;@10;)) (catch 0 3 (;@14;)) (catch_all 0 (;@17;)) (catch_all 5 (;@12;)) (catch_all 11 (;@6;)) (catch 0 7 (;@10;)) (catch_all 1 (;@16;)) (catch 0 8 (;@9;)) (catch 0 14 (;@3;)) ;; label = @18
                                        f32.const -nan:0x7fffe0 (;=NaN;)
                                        block ;; label = @19
                                          elem.drop 3
                                          data.drop 1
                                          br 3 (;@16;)
                                          i64.const -17592186044417
                                          f64.convert_i64_s
                                          f32.const -0x1.ee5396p-115 (;=-0.00000000000000000000000000000000004648624;)
                                          i32.trunc_sat_f32_s
                                          try_table (type 1) (catch 0 4 (;@15;)) (catch 0 0 (;@19;)) ;; label = @20
                                            elem.drop 1
                                            i64.const -7161613544759851260
                                            i64.popcnt
                                            loop (type 1) ;; label = @21
                                              return_call 0
                                              return_call 0
                                              call 0
                                              i64.const 140737488355328
                                              elem.drop 3
                                              block (result externref) ;; label = @22
                                                f32.const 0x1.09e32cp+70 (;=1226189200000000000000;)
                                                data.drop 0
                                                f64.const -0x1.b5d1da27d8798p+168 (;=-639874259618201700000000000000000000000000000000000;)
                                                local.get 0
                                                br 19 (;@3;)
                                                i32.extend16_s
                                                data.drop 1
                                                f32.convert_i32_s
                                                i64.const 4351073542850369048
                                                i32.const 2003793295
                                                i32.ctz
                                                f64.const -nan:0xffbffffffffff (;=NaN;)
                                                f64.floor
                                                local.tee 9
                                                f64.const nan (;=NaN;)
                                                local.get 9
                                                local.get 9
                                                f64.eq
                                                select
                                                f64.abs
                                                f64.const 0x1.3b2612b3c06b1p+975 (;=393116577879246200000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                                                br 5 (;@17;)
                                                i64.reinterpret_f64
                                                i64.extend32_s
                                                i64.clz
                                                i64.extend16_s
                                                i64.popcnt
                                                i64.extend8_s
                                                loop (type 1) ;; label = @23
                                                  try_table (type 1) (catch 0 9 (;@14;)) (catch 0 3 (;@20;)) (catch 0 2 (;@21;)) (catch_all 14 (;@9;)) (catch 0 2 (;@21;)) (catch_all 4 (;@19;)) (catch_all 5 (;@18;)) ;; label = @24
                                                    ref.null extern
                                                    return_call 0
                                                    data.drop 0
                                                    ref.is_null
                                                    br_table 0 (;@24;) 1 (;@23;) 3 (;@21;) 4 (;@20;) 5 (;@19;) 6 (;@18;) 7 (;@17;) 8 (;@16;) 9 (;@15;) 10 (;@14;) 11 (;@13;) 12 (;@12;) 14 (;@10;) 15 (;@9;) 16 (;@8;) 17 (;@7;) 18 (;@6;) 21 (;@3;) 22 (;@2;) 23 (;@1;) 24 4 (;@20;)
                                                    loop ;; label = @25
                                                      return_call 0
                                                      block (result f64) ;; label = @26
                                                        f32.const 0x1.p-147 (;=0.000000000000000000000000000000000000000000006;)
                                                        f32.sqrt
                                                        local.tee 10
                                                        f32.const nan (;=NaN;)
                                                        local.get 10
                                                        local.get 10
                                                        f32.eq
                                                        select
                                                        f32.floor
                                                        local.tee 11
                                                        f32.const nan (;=NaN;)
                                                        local.get 11
                                                        local.get 11
                                                        f32.eq
                                                        select
                                                        i32.reinterpret_f32
                                                        unreachable
                                                      end
                                                      unreachable
                                                    end
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
    end
    unreachable
  )
  (data (;0;) "")
  (data (;1;) "\a9")
)
