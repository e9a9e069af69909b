;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
(module
  (rec
    (type (;0;) (sub (array i16)))
    (type (;1;) (sub (func (param i32 f32))))
    (type (;2;) (sub (func (result i32 i31ref))))
    (type (;3;) (sub (struct (field (mut i16)) (field (ref null 0)) (field (mut i16)) (field i16) (field (mut i64)) (field (mut i16)) (field (mut i16)) (field i8) (field i16) (field (mut i8)) (field i16) (field i16))))
    (type (;4;) (sub (struct (field i8) (field (mut f32)) (field i8) (field (mut i64)) (field (mut i8)) (field i64) (field i8) (field (mut nullexternref)) (field i8) (field i8) (field (mut i16)))))
    (type (;5;) (array (mut i8)))
    (type (;6;) (array i16))
    (type (;7;) (sub (array (mut i64))))
    (type (;8;) (array i16))
    (type (;9;) (struct (field i16) (field (mut i8)) (field i32)))
  )
  (rec
    (type (;10;) (struct (field i16) (field i16)))
    (type (;11;) (struct (field f32) (field f32)))
  )
  (table (;0;) 276 863 (ref null 10))
  (table (;1;) 32 695 anyref i32.const -963291851 i32.const 1318661284 i32.const -1710370490 i32.sub i32.const 1879830846 i32.add i32.mul i32.const -890970683 i32.const 1357598266 i32.mul i32.sub i32.const -813432639 i32.sub i32.const -1420658712 i32.const -743362963 i32.const 1820998438 i32.const -571172343 i32.const 1902648251 i32.const -1411085766 i32.const 531382100 i32.const -1201488217 i32.const -1195059991 i32.const 1773786177 i32.mul i32.mul i32.add i32.sub i32.sub i32.add i32.const -537841956 i32.mul i32.add i32.mul i32.add array.new 6)
  (global (;0;) i32 i32.const 1697956238 i32.const 1849745627 i32.const 1322747158 i32.const 829559263 i32.const 699200638 i32.mul i32.const -1018610999 i32.mul i32.sub i32.const -1884981036 i32.add i32.const 233820296 i32.sub i32.sub i32.mul)
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (table 1))
  (export "3" (global 0))
  (func (;0;) (type 2) (result i32 i31ref)
    (local f64 f64 f64 f32 f32 f32 f64 f64 f32)
    table.size 0
    i64.extend_i32_u
    i32.const -1533269430
    try_table ;; label = @1
      call 0
      i32.const 332206768
      call 0
      ref.cast (ref none)
      i64.const -5205867302043895388
      ref.null none
      ref.test (ref none)
      f32.convert_i32_s
      i64.trunc_sat_f32_s
      struct.new_default 10
      i32.const 834025444
      block ;; label = @2
        return_call 0
        loop ;; label = @3
          block (result f64) ;; label = @4
            return_call 0
            table.set 1
            i64.const 2553570942138549320
            i64.popcnt
            i64.const -288230376151711745
            i64.eq
            call 0
            ref.test (ref none)
            struct.new_default 4
            i64.const -134217729
            ref.null exn
            br_on_null 1 (;@3;)
            f64.const 0x1p-1015 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002848094538889218;)
            f64.sqrt
            local.tee 0
            f64.const nan (;=NaN;)
            local.get 0
            local.get 0
            f64.eq
            select
            f64.neg
            f64.nearest
            local.tee 1
            f64.const nan (;=NaN;)
            local.get 1
            local.get 1
            f64.eq
            select
            f64.ceil
            local.tee 2
            f64.const nan (;=NaN;)
            local.get 2
            local.get 2
            f64.eq
            select
            ref.null noextern
            call 0
            br_on_cast_fail 4 i31ref nullref
            loop (type 2) (result i32 i31ref) ;; label = @5
              call 0
              extern.convert_any
              block ;; label = @6
                br 5 (;@1;)
                br 0 (;@6;)
                f32.const 0x1.p-136 (;=0.00000000000000000000000000000000000000001148;)
                br 0 (;@6;)
                i64.const -9
                f64.convert_i64_s
                f32.demote_f64
                table.size 1
                loop ;; label = @7
                  global.get 0
                  i32.ctz
                  br_if 4 (;@3;)
                  i64.const -576460752303423488
                  i32.const -8388608
                  return_call 0
                  extern.convert_any
                  i32.const -8
                  f32.const -0x1.fc07ccp+63 (;=-18303726000000000000;)
                  i32.reinterpret_f32
                  try_table (catch_all 6 (;@1;)) ;; label = @8
                    struct.new_default 3
                    ref.null noextern
                    ref.test nullexternref
                    f32.reinterpret_i32
                    f32.floor
                    local.tee 3
                    f32.const nan (;=NaN;)
                    local.get 3
                    local.get 3
                    f32.eq
                    select
                    i64.trunc_sat_f32_u
                    try_table (catch_all 6 (;@2;)) (catch_all 7 (;@1;)) (catch_all 5 (;@3;)) (catch_all 3 (;@5;)) (catch_all 0 (;@8;)) (catch_all 7 (;@1;)) ;; label = @9
                      nop
                      i64.const -6854848439304138808
                      array.new_fixed 7 0
                      call 0
                      br_on_cast_fail 9 i31ref i31ref
                      br 8 (;@1;)
                      i32.const 8192
                      i32.clz
                      loop (result (ref null 6)) ;; label = @10
                        f32.const 0x1.9ded06p+37 (;=222224760000;)
                        f32.ceil
                        local.tee 4
                        f32.const nan (;=NaN;)
                        local.get 4
                        local.get 4
                        f32.eq
                        select
                        f32.trunc
                        local.tee 5
                        f32.const nan (;=NaN;)
                        local.get 5
                        local.get 5
                        f32.eq
                        select
                        i32.trunc_sat_f32_s
                        f64.convert_i32_u
                        f64.floor
                        local.tee 6
                        f64.const nan (;=NaN;)
                        local.get 6
                        local.get 6
                        f64.eq
                        select
                        f64.trunc
                        local.tee 7
                        f64.const nan (;=NaN;)
                        local.get 7
                        local.get 7
                        f64.eq
                        select
                        i32.trunc_sat_f64_u
                        br_if 0 (;@10;)
                        f32.const 0x1.ece052p+80 (;=2327542300000000000000000;)
                        br 0 (;@10;)
                        call 0
                        i64.const 33554432
                        block (result i64) ;; label = @11
                          f64.const -nan:0xffeffffffffff (;=NaN;)
                          return_call 0
                          return_call 0
                          br_on_cast 11 anyref i31ref
                          i64.const -33554433
                          i64.extend16_s
                          ref.null 2
                          global.get 0
                          loop (result i64) ;; label = @12
                            table.size 1
                            i32.const -1730185768
                            f32.convert_i32_u
                            block ;; label = @13
                              i64.const 462828907626713877
                              f64.reinterpret_i64
                              return_call 0
                              global.get 0
                              if (result i32) ;; label = @14
                                br 7 (;@7;)
                                br 13 (;@1;)
                                f32.const 0x1.fffffep+127 (;=340282350000000000000000000000000000000;)
                                return_call 0
                                br_on_cast_fail 14 i31ref nullref
                                i32.const -841195727
                                f32.convert_i32_s
                                i64.trunc_f32_s
                                i64.eqz
                                f32.convert_i32_u
                                i64.trunc_sat_f32_s
                                nop
                                nop
                                i64.extend8_s
                                i64.popcnt
                                f64.reinterpret_i64
                                i32.const 1477850136
                                try_table (result exnref) (catch_all 8 (;@6;)) (catch_all 4 (;@10;)) (catch_all 1 (;@13;)) (catch_all 9 (;@5;)) (catch_all 9 (;@5;)) (catch_all 8 (;@6;)) (catch_all 11 (;@3;)) (catch_all 11 (;@3;)) ;; label = @15
                                  try_table (result i64) (catch_all 3 (;@12;)) (catch_all 3 (;@12;)) (catch_all 6 (;@9;)) (catch_all 3 (;@12;)) (catch_all 5 (;@10;)) (catch_all 6 (;@9;)) (catch_all 5 (;@10;)) (catch_all 10 (;@5;)) (catch_all 3 (;@12;)) (catch_all 7 (;@8;)) ;; label = @16
                                    block (type 2) (result i32 i31ref) ;; label = @17
                                      loop ;; label = @18
                                        f32.const 0x1.020202p-125 (;=0.000000000000000000000000000000000000023694278;)
                                        struct.new_default 9
                                        br_on_null 9 (;@9;)
                                        struct.get 9 2
                                        f64.convert_i32_u
                                        i64.trunc_f64_s
                                        f32.const 0x1.p-137 (;=0.00000000000000000000000000000000000000000574;)
                                        i64.trunc_f32_s
                                        br 2 (;@16;)
                                        i32.const -4194304
                                        if (type 2) (result i32 i31ref) ;; label = @19
                                          i32.const -633153369
                                          f64.convert_i32_u
                                          i32.trunc_f64_s
                                          f32.reinterpret_i32
                                          f32.ceil
                                          local.tee 8
                                          f32.const nan (;=NaN;)
                                          local.get 8
                                          local.get 8
                                          f32.eq
                                          select
                                          i64.trunc_sat_f32_u
                                          return_call 0
                                          br 14 (;@5;)
                                          br 0 (;@19;)
                                          try_table (catch_all 12 (;@7;)) (catch_all_ref 4 (;@15;)) (catch_all 17 (;@2;)) (catch_all 12 (;@7;)) (catch_all 10 (;@9;)) (catch_all 16 (;@3;)) (catch_all 1 (;@18;)) ;; label = @20
                                            block (result i64) ;; label = @21
                                              unreachable
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
    end
    unreachable
  )
)
