;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call - 0
;; call 31 
(module
  (rec
    (type (;0;) (struct (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i8)) (field i16) (field (mut i16)) (field (mut f32)) (field externref) (field i8) (field (mut i8)) (field (mut i32)) (field i32) (field f32)))
    (type (;1;) (struct (field i16) (field i8) (field (mut i8)) (field f64) (field (mut i16))))
    (type (;2;) (func (result f64 f32)))
    (type (;3;) (sub (array i16)))
    (type (;4;) (sub (array (mut i16))))
    (type (;5;) (sub final 3 (array i16)))
    (type (;6;) (array (mut f64)))
    (type (;7;) (sub (struct (field (mut i64)) (field i16) (field (mut i8)) (field arrayref))))
    (type (;8;) (sub (func (param f64))))
    (type (;9;) (sub (struct (field (mut i8)) (field i8) (field i8) (field (mut i8)) (field (mut i16)) (field i8) (field externref) (field i16) (field i16) (field i16) (field (mut i16)) (field i64) (field i16) (field i32))))
    (type (;10;) (sub (func)))
    (type (;11;) (sub (struct (field i8) (field (mut i8)))))
    (type (;12;) (array f32))
    (type (;13;) (func))
    (type (;14;) (struct (field f64) (field i8) (field (mut i16))))
    (type (;15;) (sub (struct (field (mut i64)) (field i16) (field (mut i8)) (field (mut nullexternref)) (field i8) (field (mut i16)) (field (mut i16)) (field (mut nullexternref)))))
    (type (;16;) (struct (field (mut i32)) (field (mut i8)) (field i8) (field i16) (field i32) (field i16) (field (mut i64)) (field i8) (field (mut i16)) (field i8) (field (mut i64)) (field i8) (field i32) (field (mut i16)) (field i16)))
    (type (;17;) (struct (field (mut f64)) (field (mut i64)) (field (mut structref)) (field i8) (field (mut i8)) (field i16) (field f64) (field (mut i16)) (field (mut i32)) (field (mut i16)) (field i16) (field (mut structref)) (field i8) (field i8) (field (mut f64))))
    (type (;18;) (array i8))
    (type (;19;) (array (mut i8)))
    (type (;20;) (sub (func (result f32))))
    (type (;21;) (sub (array i16)))
    (type (;22;) (sub (func)))
    (type (;23;) (sub (struct (field (mut i16)) (field i8) (field (mut (ref null 2))) (field i32) (field (mut i16)) (field (mut i8)) (field (mut i8)) (field (mut i8)) (field (mut i16)) (field (mut i16)) (field exnref) (field f64) (field i8) (field (mut f32)) (field i64))))
    (type (;24;) (struct))
    (type (;25;) (struct (field i8) (field (mut i8)) (field (mut i8)) (field i8) (field i64) (field (mut i16)) (field i16) (field (mut i16)) (field f32) (field i8) (field i16) (field i16) (field eqref) (field (mut i16))))
    (type (;26;) (func (result f32 f32 f64 arrayref)))
    (type (;27;) (sub (struct (field i8) (field (mut i64)) (field i16) (field (mut i16)))))
    (type (;28;) (array (mut i16)))
    (type (;29;) (array i32))
    (type (;30;) (sub (array (mut i8))))
    (type (;31;) (sub (struct (field i8) (field (mut i64)) (field (mut i32)) (field (mut i8)) (field (mut funcref)) (field i32) (field (mut i32)) (field i16) (field i64) (field (mut i8)) (field i8) (field i16) (field (mut i16)) (field (mut i16)) (field i16) (field i8) (field i8) (field i16) (field f32))))
    (type (;32;) (func))
    (type (;33;) (struct (field (mut i16))))
    (type (;34;) (sub (struct (field (mut f64)) (field i16) (field (mut i16)) (field i32) (field (mut i16)) (field (ref null 3)) (field (mut f32)) (field i16) (field (mut i32)) (field i8) (field (mut i16)) (field funcref))))
    (type (;35;) (sub (array (mut i8))))
    (type (;36;) (array (mut i64)))
  )
  (global (;0;) (mut (ref null 4)) i32.const -190393612 array.new_default 4)
  (export "" (func 0))
  (export "1" (func 1))
  (export "2" (global 0))
  (func (;0;) (type 8) (param f64)
    (local i32 f64)
    i64.const -16385
    ref.null 36
    i32.const 67108863
    i32.ctz
    f64.convert_i32_u
    nop
    f64.abs
    local.get 0
    i64.const 3724023399807065719
    f32.convert_i64_u
    i64.const -68719476737
    struct.new 24
    ref.is_null
    f32.convert_i32_s
    i32.reinterpret_f32
    br_table 0 0
    i64.extend16_s
    ref.null 17
    f64.const 0x1.a950a0f4e73a9p+42 (;=7306855306140.915;)
    loop (type 26) (result f32 f32 f64 arrayref) ;; label = @1
      ref.null 5
      loop (type 2) (result f64 f32) ;; label = @2
        data.drop 0
        loop (type 20) (result f32) ;; label = @3
          f32.const 0x1.p-127 (;=0.000000000000000000000000000000000000005877472;)
          block (result i32) ;; label = @4
            global.get 0
            ref.as_non_null
            struct.new_default 27
            i64.const -32
            call 1
            struct.new 24
            local.get 0
            i64.trunc_sat_f64_s
            global.get 0
            data.drop 0
            try_table (type 26) (result f32 f32 f64 arrayref) (catch_all 3 (;@1;)) (catch_all 2 (;@2;)) (catch_all 2 (;@2;)) (catch_all 3 (;@1;)) ;; label = @5
              struct.new 24
              f64.const -0x1.e02e457d420ap+891 (;=-30966413944239366000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
              i32.trunc_f64_s
              br 3 (;@2;)
              call 1
              loop (type 10) ;; label = @6
                struct.new 24
                i64.const 562949953421312
                f32.const -nan:0x7ffffe (;=NaN;)
                f64.const 0x1.07c769cfcd51fp-771 (;=0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000829609137088113;)
                global.get 0
                ref.null eq
                br 3 (;@3;)
                call 1
                global.get 0
                try_table (result (ref null 31)) (catch_all 6) (catch_all 5 (;@1;)) (catch_all 3 (;@3;)) (catch_all 6) (catch_all 3 (;@3;)) (catch_all 4 (;@2;)) (catch_all 5 (;@1;)) (catch_all 3 (;@3;)) ;; label = @7
                  f64.const 0x1.p-1036 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000135807730622;)
                  f64.abs
                  try_table (type 2) (result f64 f32) ;; label = @8
                    try_table (type 13) (catch_all 8) (catch_all 5 (;@3;)) (catch_all 2 (;@6;)) (catch_all 7 (;@1;)) (catch_all 2 (;@6;)) (catch_all 7 (;@1;)) (catch_all 7 (;@1;)) (catch_all 8) (catch_all 8) (catch_all 8) ;; label = @9
                      i32.const 1886628599
                      f64.convert_i32_u
                      f64.neg
                      f64.const 0x1.188ec1dadc243p+927 (;=1243334897304665800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                      f64.max
                      local.tee 2
                      f64.const nan (;=NaN;)
                      local.get 2
                      local.get 2
                      f64.eq
                      select
                      local.tee 0
                      try_table (catch_all 7 (;@2;)) (catch_all 8 (;@1;)) ;; label = @10
                        block (type 10) ;; label = @11
                        end
                        local.get 1
                        f32.const 0x1p-119 (;=0.0000000000000000000000000000000000015046328;)
                        i64.trunc_sat_f32_s
                        ref.null exn
                        block (result externref) ;; label = @11
                          ref.null 19
                          f64.const -0x1.bee4d2718cea8p+767 (;=-1355099152157032700000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                          f64.neg
                          i64.const -140737488355328
                          local.get 0
                          local.set 0
                          try_table (type 13) ;; label = @12
                            data.drop 0
                            try_table (type 13) ;; label = @13
                              i64.const -8099363325582024262
                              i64.clz
                              i64.eqz
                              loop (type 13) ;; label = @14
                                br 4 (;@10;)
                              end
                              global.get 0
                              br_on_null 4 (;@9;)
                              return_call 1
                              global.set 0
                              local.get 0
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
  (func (;1;) (type 22))
  (data (;0;) "")
)
