;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=24), wasmtime Outcome(kind='trap', values=[], trap='OUT_OF_FUEL')
;; call 7e 
(module
  (rec
    (type (;0;) (sub (struct (field i16) (field i8))))
    (type (;1;) (sub (array i8)))
    (type (;2;) (sub (func (param f32 i64))))
    (type (;3;) (func))
    (type (;4;) (sub (struct (field f32) (field i16) (field f64) (field (mut i16)) (field (mut structref)) (field f32) (field i8) (field (mut f32)))))
    (type (;5;) (struct (field i31ref) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i8)) (field i16) (field i8) (field (mut f32)) (field i16) (field (mut i8)) (field (mut i16)) (field (mut i16)) (field (mut i64)) (field i32) (field (mut i16))))
    (type (;6;) (sub (array (mut i8))))
    (type (;7;) (func))
    (type (;8;) (array (mut i16)))
    (type (;9;) (struct (field i8) (field (mut f64)) (field i8) (field (mut f64)) (field i8)))
    (type (;10;) (sub (func)))
    (type (;11;) (sub (func (param i64 f64) (result i32 i32 i64))))
    (type (;12;) (sub (struct (field (mut i16)) (field i64) (field (mut i16)) (field (mut exnref)) (field i16) (field i8) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field (mut i16)) (field i32) (field i8) (field i16) (field (mut f32)) (field (mut i64)) (field i16))))
    (type (;13;) (struct (field (mut i16)) (field i8) (field (mut f32)) (field (mut i64)) (field (mut i8)) (field i16) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field (mut i16)) (field (mut i8)) (field i16) (field i64) (field (mut f32))))
  )
  (table (;0;) i64 92 354 nullexternref)
  (table (;1;) 220 973 (ref null 1) i32.const -812576889 i32.const -985623893 i32.const -1803020953 i32.const -951993771 i32.const -392656721 i32.const 1193640153 i32.const -738380171 i32.const -1764911139 i32.const 467993760 i32.mul i32.mul i32.const 1393029267 i32.add i32.mul i32.mul i32.mul i32.sub i32.mul i32.add i32.const 1056077502 i32.const -2029352712 i32.const -341003082 i32.const -1187632887 i32.sub i32.add i32.add array.new 1)
  (memory (;0;) i64 5 8)
  (tag (;0;) (type 3))
  (global (;0;) (mut i32) i32.const 0)
  (global (;1;) (mut i32) i32.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i64) i64.const 0)
  (export "~" (func 0))
  (export "" (table 0))
  (export "2" (table 1))
  (export "3" (memory 0))
  (export "4" (global 0))
  (export "5" (global 1))
  (export "\u{2}" (global 2))
  (export "7" (global 3))
  (start 0)
  (func (;0;) (type 10)
    (local i64 f32 f32 f32 f32)
    try_table (type 7) (catch 0 0) (catch 0 0) (catch_all 0) (catch 0 0) (catch 0 0) (catch 0 0) (catch_all 0) (catch 0 0) (catch_all 0) ;; label = @1
      try_table (result f32) ;; label = @2
        return_call 0
        try_table (result i32) (catch_all 2) (catch 0 1 (;@1;)) (catch_all 2) (catch 0 1 (;@1;)) (catch 0 1 (;@1;)) (catch_all 1 (;@1;)) (catch_all 2) (catch 0 1 (;@1;)) ;; label = @3
          f64.const -nan:0xfffffffffffbf (;=NaN;)
          i32.const -998003999
          f32.convert_i32_u
          i64.trunc_sat_f32_s
          return
          call 0
          local.get 0
          i64.ge_u
          i32.extend16_s
          f32.const -0x1.cd8e62p-5 (;=-0.056342307;)
          f32.sqrt
          local.tee 1
          f32.const nan (;=NaN;)
          local.get 1
          local.get 1
          f32.eq
          select
          i64.trunc_sat_f32_u
          i64.extend32_s
          i64.load16_s offset=215227
          i32.load8_u offset=282186
          f64.convert_i32_s
          i32.trunc_f64_u
          return_call 0
          i32.mul
          i32.extend16_s
          i32.const 354
          i32.eqz
          i32.rotl
          f32.const -0x1.2da60cp+77 (;=-178061920000000000000000;)
          i64.trunc_sat_f32_s
          memory.size
          i64.shr_s
          i64.load8_u offset=124125
          i32.load8_u offset=311161
          i32.xor
          f32.const 0x1.a8ff44p-94 (;=0.000000000000000000000000000083815905;)
          nop
          f64.const -0x1.3316566ca8a22p-540 (;=-0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003332914480693293;)
          memory.size
          i32.load16_s offset=219234
          block (result f32) ;; label = @4
            loop (type 3) ;; label = @5
              i32.const -9
              f64.convert_i32_s
              block (type 7) ;; label = @6
                block ;; label = @7
                  ref.null 9
                  block (type 3) ;; label = @8
                    block (type 3) ;; label = @9
                    end
                    struct.new_default 9
                    return
                    loop (type 10) ;; label = @9
                      memory.size
                      loop (type 7) ;; label = @10
                        memory.size
                        f32.load offset=14126
                        i64.const -140737488355329
                        loop (type 10) ;; label = @11
                          table.size 0
                          f64.load offset=144239 align=2
                          f64.const -nan:0xfffff7fffffff (;=NaN;)
                          f64.eq
                          nop
                          br_table 0 (;@11;) 1 (;@10;) 2 (;@9;) 3 (;@8;) 4 (;@7;) 5 (;@6;) 6 (;@5;) 10 (;@1;) 11 3 (;@8;)
                          block (result i64) ;; label = @12
                            try_table (catch_all 11 (;@1;)) (catch 0 11 (;@1;)) (catch_all 3 (;@9;)) (catch 0 5 (;@7;)) (catch_all 3 (;@9;)) (catch 0 1 (;@11;)) ;; label = @13
                              table.size 0
                              f32.load offset=137274 align=2
                              f64.promote_f32
                              i64.trunc_f64_s
                              i64.eqz
                              i32.extend8_s
                              f64.convert_i32_s
                              i64.trunc_f64_u
                              i64.load32_u offset=98067 align=2
                              i64.const -1366092831974336844
                              i64.xor
                              i64.load32_s offset=811 align=2
                              br 5 (;@8;)
                              loop (type 3) ;; label = @14
                                return_call 0
                                call 0
                                throw 0
                                i64.const -1125899906842624
                                i64.extend8_s
                                f64.load offset=118672 align=4
                                i64.reinterpret_f64
                                i32.load8_s offset=234770
                                f64.convert_i32_u
                                local.get 0
                                i32.load16_u offset=297404 align=1
                                table.size 1
                                try_table (type 7) (catch 0 1 (;@13;)) (catch_all 8 (;@6;)) (catch_all 5 (;@9;)) ;; label = @15
                                  i64.const 7817252902138071000
                                  i64.extend8_s
                                  loop (result i32) ;; label = @16
                                    local.get 0
                                    i64.extend8_s
                                    f32.load offset=149581 align=1
                                    return_call 0
                                    f32.const 0x1.p-143 (;=0.00000000000000000000000000000000000000000009;)
                                    f32.nearest
                                    local.tee 2
                                    f32.const nan (;=NaN;)
                                    local.get 2
                                    local.get 2
                                    f32.eq
                                    select
                                    f32.abs
                                    f32.sub
                                    local.tee 3
                                    f32.const nan (;=NaN;)
                                    local.get 3
                                    local.get 3
                                    f32.eq
                                    select
                                    f32.trunc
                                    local.tee 4
                                    f32.const nan (;=NaN;)
                                    local.get 4
                                    local.get 4
                                    f32.eq
                                    select
                                    f32.abs
                                    br 7 (;@9;)
                                    f32.neg
                                    f64.const 0x1.0658c949823e2p+855 (;=246196647078674360000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;)
                                    f64.neg
                                    i32.trunc_f64_u
                                    i32.ctz
                                    global.get 0
                                    i32.xor
                                    global.set 0
                                    i32.reinterpret_f32
                                    global.get 1
                                    i32.xor
                                    global.set 1
                                    i32.const 919388627
                                  end
                                  global.get 0
                                  i32.xor
                                  global.set 0
                                  global.get 2
                                  i64.xor
                                  global.set 2
                                end
                                global.get 0
                                i32.xor
                                global.set 0
                                global.get 0
                                i32.xor
                                global.set 0
                                i64.reinterpret_f64
                                global.get 3
                                i64.xor
                                global.set 3
                              end
                              global.get 2
                              i64.xor
                              global.set 2
                            end
                            i64.const 4095
                          end
                          global.get 2
                          i64.xor
                          global.set 2
                        end
                        global.get 2
                        i64.xor
                        global.set 2
                        i32.reinterpret_f32
                        global.get 1
                        i32.xor
                        global.set 1
                      end
                      global.get 2
                      i64.xor
                      global.set 2
                    end
                    drop
                  end
                  drop
                end
              end
              i64.reinterpret_f64
              global.get 3
              i64.xor
              global.set 3
            end
            f32.const -0x1.4f0facp+99 (;=-829571400000000000000000000000;)
          end
          i32.reinterpret_f32
          global.get 1
          i32.xor
          global.set 1
          global.get 0
          i32.xor
          global.set 0
          i64.reinterpret_f64
          global.get 3
          i64.xor
          global.set 3
          i32.reinterpret_f32
          global.get 1
          i32.xor
          global.set 1
          global.get 0
          i32.xor
          global.set 0
          i64.reinterpret_f64
          global.get 3
          i64.xor
          global.set 3
          i32.const -1762274178
        end
        global.get 0
        i32.xor
        global.set 0
        f32.const -0x1.b1210ep-95 (;=-0.00000000000000000000000000004270983;)
      end
      i32.reinterpret_f32
      global.get 1
      i32.xor
      global.set 1
    end
  )
)
