;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call 077a25 
(module
  (rec
    (type (;0;) (func))
    (type (;1;) (sub (array f64)))
    (type (;2;) (sub (func (param f64 i32 i32 i64 f32))))
    (type (;3;) (struct (field (mut i16)) (field i16) (field (mut i8)) (field (mut i8)) (field nullexternref) (field (mut i8)) (field (mut nullexternref)) (field i16) (field i8) (field i16) (field (mut i8)) (field (mut i32)) (field i8) (field i8) (field (mut i16)) (field (mut f64))))
    (type (;4;) (sub (array (ref null 2))))
    (type (;5;) (sub (func)))
    (type (;6;) (sub (array (mut i64))))
    (type (;7;) (func (param (ref null 5) i64 (ref null 4))))
    (type (;8;) (sub (struct (field i16) (field (mut i64)) (field (mut i8)) (field i16) (field (mut f32)) (field i16) (field (ref null 4)) (field (mut i64)) (field f32) (field i8) (field (mut i32)) (field (mut i8)) (field nullref) (field (mut f32)) (field (ref null 0)) (field (mut i8)) (field (mut i16)) (field i16))))
  )
  (table (;0;) i64 8 926 exnref)
  (table (;1;) i64 12 13 nullexternref ref.null noextern)
  (memory (;0;) i64 15 16)
  (tag (;0;) (type 0))
  (global (;0;) (mut anyref) i64.const -6292534309279403011 i64.const -7057574840140832226 i64.const -2895069682242975409 i64.const -6768769370992212230 i64.sub i64.const -724868613177377448 i64.sub i64.const -371202686799598468 i64.sub i64.sub i64.const 1279435934942602661 i64.mul i64.add i64.const 373681470717009138 i64.sub i32.const 1997961382 array.new 6)
  (global (;1;) (ref null 5) ref.func 0)
  (global (;2;) (mut i64) i64.const -7762770784841851832)
  (global (;3;) (mut i64) i64.const 0)
  (export "\u{7}z%" (func 0))
  (export "" (table 0))
  (export "2" (table 1))
  (export "3" (memory 0))
  (export "4" (global 0))
  (export "5" (global 1))
  (export "6" (global 2))
  (start 0)
  (elem (;0;) (table 0) (i64.const 0) exnref)
  (elem (;1;) (table 0) (i64.const 0) exnref)
  (func (;0;) (type 5)
    (local f32 f32 (ref null 2) f32 f64 f32 f32)
    i32.const 515930977
    i64.extend_i32_u
    i64.load offset=819889 align=4
    loop ;; label = @1
      struct.new_default 3
      f64.const 0x1.716a328761846p+460 (;=4296080101174390400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
      i32.trunc_f64_s
      i32.popcnt
      try_table ;; label = @2
        try_table (type 5) (catch 0 2) (catch_all 1 (;@1;)) ;; label = @3
        end
        try_table (result f32) (catch 0 2) (catch 0 0 (;@2;)) (catch 0 1 (;@1;)) (catch 0 2) (catch_all 0 (;@2;)) (catch 0 0 (;@2;)) ;; label = @3
          f64.const 0x1.ffffp-1058 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000647577;)
          f64.const -nan:0xfffffffffffff (;=NaN;)
          f32.demote_f64
          i64.const 131071
          br 2 (;@1;)
          i32.wrap_i64
          block (type 5) ;; label = @4
            br 0 (;@4;)
            f64.const 0x1.f8p-1069 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000031;)
            i64.trunc_f64_s
            return_call 0
            i64.extend8_s
            loop (type 5) ;; label = @5
              try_table (catch 0 0 (;@5;)) (catch_all 3 (;@2;)) (catch 0 4 (;@1;)) (catch 0 3 (;@2;)) (catch_all 3 (;@2;)) (catch 0 4 (;@1;)) (catch 0 3 (;@2;)) (catch 0 4 (;@1;)) ;; label = @6
                block (result f32) ;; label = @7
                  ref.func 0
                  ref.test (ref nofunc)
                  i64.extend_i32_u
                  i64.load offset=990796 align=1
                  i32.load8_u offset=141048
                  i32.const -590523520
                  i32.rotl
                  try_table (type 5) (catch 0 6 (;@1;)) ;; label = @8
                    loop (result i64) ;; label = @9
                      loop ;; label = @10
                        try_table (result (ref null 8)) (catch 0 0 (;@10;)) (catch_all 1 (;@9;)) (catch_all 10) (catch_all 5 (;@5;)) (catch 0 8 (;@2;)) ;; label = @11
                          global.get 2
                          i32.load offset=800255 align=2
                          struct.new_default 3
                          return_call 0
                          global.set 0
                          if (result i32) ;; label = @12
                            table.size 1
                            block ;; label = @13
                            end
                            i32.const -1548238586
                            f64.convert_i32_s
                            i32.trunc_f64_s
                            i32.ctz
                            i32.eqz
                            f32.convert_i32_u
                            i32.trunc_f32_s
                            i32.extend8_s
                            f32.reinterpret_i32
                            local.get 1
                            br 12
                            f32.const 0x1.fffp-137 (;=0.000000000000000000000000000000000000000011478;)
                            memory.size
                            i64.load8_s offset=811429
                            f64.load offset=844244 align=2
                            i32.trunc_f64_s
                            i32.popcnt
                            i32.const 653514749
                            local.get 0
                            call 0
                            global.get 2
                            i64.eqz
                            i64.extend_i32_u
                            global.get 3
                            i64.xor
                            global.set 3
                            return_call 0
                            f32.sqrt
                            local.tee 3
                            f32.const nan (;=NaN;)
                            local.get 3
                            local.get 3
                            f32.eq
                            select
                            local.set 1
                            global.get 0
                            ref.is_null
                            i32.extend8_s
                            local.get 2
                            i32.const -1415705584
                            i32.popcnt
                            i32.extend8_s
                            f32.convert_i32_s
                            local.set 1
                            i64.const 144115188075855872
                            local.get 2
                            local.set 2
                            f32.convert_i64_u
                            local.get 2
                            local.tee 2
                            table.size 1
                            f64.convert_i64_s
                            block ;; label = @13
                              memory.size
                              i64.load8_u offset=482317
                              f32.convert_i64_s
                              i64.trunc_f32_u
                              f64.convert_i64_u
                              ref.func 0
                              br_on_null 5 (;@8;)
                              block (type 5) ;; label = @14
                                br 0 (;@14;)
                                loop (type 5) ;; label = @15
                                  f64.const -0x1.c714cf854a048p-528 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000020230718448793686;)
                                  f64.trunc
                                  local.tee 4
                                  f64.const nan (;=NaN;)
                                  local.get 4
                                  local.get 4
                                  f64.eq
                                  select
                                  global.get 0
                                  table.size 1
                                  i32.load8_s offset=871685
                                  if (type 5) ;; label = @16
                                    ref.null i31
                                    loop ;; label = @17
                                      br 15 (;@2;)
                                      elem.drop 0
                                      call 0
                                      br 1 (;@16;)
                                      table.size 0
                                      f32.convert_i64_s
                                      f32.ceil
                                      local.tee 5
                                      f32.const nan (;=NaN;)
                                      local.get 5
                                      local.get 5
                                      f32.eq
                                      select
                                      f32.const -0x1.fffffep+120 (;=-2658455800000000000000000000000000000;)
                                      f32.trunc
                                      local.tee 6
                                      f32.const nan (;=NaN;)
                                      local.get 6
                                      local.get 6
                                      f32.eq
                                      select
                                      i64.trunc_f32_s
                                      try_table (result i32) (catch 0 11 (;@6;)) (catch 0 8 (;@9;)) (catch 0 9 (;@8;)) (catch 0 12 (;@5;)) ;; label = @18
                                        memory.size
                                        i64.load offset=996894
                                        try_table (result i64) (catch_all 1 (;@17;)) (catch 0 3 (;@15;)) (catch_all 18) (catch 0 4 (;@14;)) (catch_all 17 (;@1;)) (catch_all 5 (;@13;)) (catch 0 12 (;@6;)) (catch_all 2 (;@16;)) (catch 0 9 (;@9;)) ;; label = @19
                                          ref.func 0
                                          ref.func 0
                                          br_on_null 18 (;@1;)
                                          call 0
                                          ref.is_null
                                          i32.const 4095
                                          global.get 1
                                          return_call 0
                                          f64.const 0x1.a81cebb6130ddp-46 (;=0.000000000000023542999309395595;)
                                          f32.const -0x1.986bf2p+58 (;=-459841900000000000;)
                                          f32.neg
                                          global.get 1
                                          f32.const -nan:0x6fffff (;=NaN;)
                                          i32.const 16843009
                                          i64.extend_i32_s
                                          i64.load32_s offset=1004135
                                          call 0
                                          call 0
                                          return_call 0
                                          call 0
                                          memory.grow
                                          table.size 0
                                          f32.const 0x1.877cp-134 (;=0.000000000000000000000000000000000000000070219;)
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
                          else
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
