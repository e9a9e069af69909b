;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=24), wasmtime Outcome(kind='trap', values=[], trap='OUT_OF_FUEL')
(module
  (rec
    (type (;0;) (struct (field f64) (field (mut i16)) (field i16) (field (mut i32)) (field i8) (field i16) (field anyref) (field (mut exnref)) (field i32) (field (mut i16)) (field (mut f32)) (field i16) (field i16) (field i16) (field i16) (field f64) (field i16)))
    (type (;1;) (sub (func (param exnref) (result i32))))
    (type (;2;) (array (mut i32)))
    (type (;3;) (array i8))
    (type (;4;) (sub (array i8)))
    (type (;5;) (struct (field (mut i16)) (field i32) (field i16) (field i8) (field i8) (field (mut f64)) (field (mut nullexternref)) (field (mut i32)) (field (mut i16)) (field (mut (ref null 4))) (field (ref null 0)) (field (mut i16)) (field i16) (field (mut externref)) (field i16) (field (mut i8)) (field i8)))
    (type (;6;) (sub (func (param i32))))
  )
  (table (;0;) 0 501 (ref null 4) i32.const 804066324 array.new_default 4)
  (memory (;0;) i64 0 0)
  (tag (;0;) (type 6) (param i32))
  (tag (;1;) (type 6) (param i32))
  (global (;0;) i32 i32.const 788709748)
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (memory 0))
  (export "3" (global 0))
  (elem (;0;) declare i31ref)
  (elem (;1;) declare (ref null 3))
  (func (;0;) (type 1) (param exnref) (result i32)
    (local f64 f64 f64 f32 f64 f32 f32 f32 f32 f64)
    data.drop 0
    table.size 0
    f32.reinterpret_i32
    f32.abs
    i64.trunc_f32_s
    memory.size
    f64.reinterpret_i64
    f64.ceil
    local.tee 1
    f64.const nan (;=NaN;)
    local.get 1
    local.get 1
    f64.eq
    select
    i64.trunc_sat_f64_s
    i64.store align=4
    f64.const 0x1.ffffffffffffep-1023 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002225073858507201;)
    f64.floor
    local.tee 2
    f64.const nan (;=NaN;)
    local.get 2
    local.get 2
    f64.eq
    select
    f64.ceil
    local.tee 3
    f64.const nan (;=NaN;)
    local.get 3
    local.get 3
    f64.eq
    select
    global.get 0
    array.new_default 2
    elem.drop 0
    elem.drop 1
    local.get 0
    ref.is_null
    f64.const 0x1.bf0ffaaeade9ap+201 (;=5612512570491565000000000000000000000000000000000000000000000;)
    data.drop 0
    i32.const -1050990839
    br 0
    global.get 0
    ref.i31
    table.size 0
    f64.convert_i32_s
    i32.const 1336539702
    f32.convert_i32_s
    f32.floor
    local.tee 4
    f32.const nan (;=NaN;)
    local.get 4
    local.get 4
    f32.eq
    select
    f32.const -0x1.1e14e6p+89 (;=-691702950000000000000000000;)
    loop ;; label = @1
      data.drop 0
      try_table (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) (catch 0 1) (catch 1 1) (catch 1 1) (catch_all 0 (;@1;)) (catch_all 0 (;@1;)) ;; label = @2
        table.size 0
        block (result (ref null 3)) ;; label = @3
          f64.const -0x1.baf3ef19dd049p+658 (;=-2069448860407405300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          f64.abs
          f64.ceil
          local.tee 5
          f64.const nan (;=NaN;)
          local.get 5
          local.get 5
          f64.eq
          select
          i32.trunc_sat_f64_s
          i32.extend16_s
          f32.convert_i32_u
          f32.sqrt
          local.tee 6
          f32.const nan (;=NaN;)
          local.get 6
          local.get 6
          f32.eq
          select
          f32.ceil
          local.tee 7
          f32.const nan (;=NaN;)
          local.get 7
          local.get 7
          f32.eq
          select
          struct.new_default 0
          i32.const 65536
          struct.set 0 9
          f64.const -0x1.08339e8f990a7p+898 (;=-2180879384015076000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
          br 2 (;@1;)
          i64.reinterpret_f64
          table.size 0
          i64.extend_i32_u
          i64.sub
          i64.extend32_s
          f64.load
          f32.demote_f64
          i64.trunc_sat_f32_u
          block (result f64) ;; label = @4
            loop (result f64) ;; label = @5
              nop
              i64.const 274877906944
              i32.load16_s
              br_if 0 (;@5;)
              elem.drop 1
              f64.const 0x1.fffffffffffffp-896 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000037857669957336787;)
              i32.trunc_f64_s
              f32.convert_i32_u
              f32.nearest
              local.tee 8
              f32.const nan (;=NaN;)
              local.get 8
              local.get 8
              f32.eq
              select
              global.get 0
              f32.convert_i32_s
              f32.abs
              f32.eq
              f64.convert_i32_s
              block ;; label = @6
                i32.const -16777216
                if (result f64) ;; label = @7
                  local.get 0
                  elem.drop 0
                  br 6 (;@1;)
                  call 0
                  i32.const -1984990757
                  i32.ge_s
                  br_table 1 (;@6;) 2 (;@5;) 5 (;@2;) 6 (;@1;) 2 (;@5;)
                  br 6 (;@1;)
                  global.get 0
                  if ;; label = @8
                  else
                    ref.null extern
                    br 6 (;@2;)
                    try_table (result f32) (catch 0 8) (catch_all 7 (;@1;)) (catch_all 2 (;@6;)) ;; label = @9
                      f32.const 0x1.p-133 (;=0.000000000000000000000000000000000000000091835;)
                      local.get 0
                      i32.const -1754954400
                      local.get 0
                      block (result f64) ;; label = @10
                        try_table (catch_all 5 (;@5;)) (catch_all 4 (;@6;)) (catch_all 8 (;@2;)) (catch_all 8 (;@2;)) ;; label = @11
                          br 10 (;@1;)
                          local.get 0
                          f64.const -0x1.1c08e17027bfap-587 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000021904026931152165;)
                          i64.const 5606160249968074001
                          global.get 0
                          i64.const -1581041320794440647
                          table.size 0
                          i32.const -33
                          i32.or
                          elem.drop 1
                          if ;; label = @12
                            loop ;; label = @13
                              local.get 0
                              local.tee 0
                              ref.as_non_null
                              global.get 0
                              i32.const 1343086068
                              table.get 0
                              f64.const -0x1.a546674b79a6p+773 (;=-81754635066497280000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                              i32.trunc_f64_u
                              loop ;; label = @14
                                f64.const -nan:0xffffffffffdff (;=NaN;)
                                global.get 0
                                array.new_default 4
                                loop (result structref) ;; label = @15
                                  elem.drop 0
                                  f32.const 0x1.p-139 (;=0.000000000000000000000000000000000000000001435;)
                                  i32.trunc_sat_f32_u
                                  global.get 0
                                  if (result i64) ;; label = @16
                                    try_table ;; label = @17
                                      elem.drop 0
                                    end
                                    br 10 (;@6;)
                                    try_table (catch_all 2 (;@14;)) (catch_all 11 (;@5;)) ;; label = @17
                                      i64.const 140737488355327
                                      i64.load16_s align=1
                                      f32.convert_i64_u
                                      f32.floor
                                      local.tee 9
                                      f32.const nan (;=NaN;)
                                      local.get 9
                                      local.get 9
                                      f32.eq
                                      select
                                      i32.trunc_sat_f32_s
                                      nop
                                      br_table 0 (;@17;) 2 (;@15;) 3 (;@14;) 4 (;@13;) 5 (;@12;) 6 (;@11;) 9 (;@8;) 11 (;@6;) 12 (;@5;) 15 (;@2;) 16 (;@1;) 0 (;@17;)
                                      data.drop 0
                                      br 15 (;@2;)
                                      try_table (catch_all 12 (;@5;)) (catch_all 0 (;@17;)) (catch_all 15 (;@2;)) ;; label = @18
                                        table.size 0
                                        memory.size
                                        try_table (catch_all 1 (;@17;)) (catch_all 4 (;@14;)) (catch_all 10 (;@8;)) (catch_all 12 (;@6;)) (catch_all 17 (;@1;)) (catch_all 1 (;@17;)) (catch_all 10 (;@8;)) (catch 1 18) (catch_all 0 (;@18;)) ;; label = @19
                                          f64.const 0x1.aec69b30d79afp-863 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002736056616488528;)
                                          f64.nearest
                                          local.tee 10
                                          f64.const nan (;=NaN;)
                                          local.get 10
                                          local.get 10
                                          f64.eq
                                          select
                                          f64.const 0x1.p-1051 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004144523;)
                                          f64.ge
                                          i32.eqz
                                          br_table 0 (;@19;) 1 (;@18;) 2 (;@17;) 4 (;@15;) 5 (;@14;) 6 (;@13;) 7 (;@12;) 8 (;@11;) 11 (;@8;) 13 (;@6;) 14 (;@5;) 17 (;@2;) 18 (;@1;) 1 (;@18;)
                                          global.get 0
                                          f32.convert_i32_s
                                          i64.trunc_f32_u
                                          i32.load align=2
                                          i32.popcnt
                                          f32.convert_i32_u
                                          i32.const -1996444502
                                          i32.ctz
                                          f32.reinterpret_i32
                                          try_table (catch_all 5 (;@14;)) (catch_all 18 (;@1;)) (catch_all 7 (;@12;)) ;; label = @20
                                            block ;; label = @21
                                              f64.const 0x1.829b503260401p+114 (;=31365261167603445000000000000000000;)
                                              i64.trunc_sat_f64_s
                                              i64.extend16_s
                                              i32.wrap_i64
                                              f64.convert_i32_s
                                              f64.neg
                                              i32.trunc_f64_u
                                              elem.drop 1
                                              i32.ctz
                                              i32.ctz
                                              i64.extend_i32_u
                                              i64.load32_u align=1
                                              memory.size
                                              block ;; label = @22
                                              end
                                              i64.xor
                                              try_table (result f32) (catch_all 3 (;@18;)) (catch_all 19 (;@2;)) (catch_all 0 (;@21;)) ;; label = @22
                                                struct.new_default 5
                                                ref.null 6
                                                elem.drop 1
                                                loop ;; label = @23
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
                                  else
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
                else
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
    end
    unreachable
  )
  (data (;0;) "")
)
