;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
;; call 2e68e8849e 0 0 0
(module
  (rec
    (type (;0;) (array f32))
    (type (;1;) (array (mut i8)))
    (type (;2;) (array (mut i16)))
    (type (;3;) (sub (func (param f64 nullfuncref i32 f32 i32 structref f64 nullref f64) (result f64 f64 f64 f64 i64))))
    (type (;4;) (array (mut i8)))
    (type (;5;) (func))
    (type (;6;) (array i8))
    (type (;7;) (func (result nullref nullfuncref)))
    (type (;8;) (sub (struct (field i8) (field i16) (field (mut i8)) (field (mut i16)) (field i8) (field i8) (field i16) (field i32) (field (mut f64)) (field i8) (field (mut nullref)) (field (mut i64)) (field i8) (field i32) (field (mut f32)))))
    (type (;9;) (sub (array i8)))
    (type (;10;) (sub (array (mut i16))))
    (type (;11;) (struct (field (mut f64)) (field i8) (field i8)))
    (type (;12;) (sub (func (param i32))))
    (type (;13;) (struct (field i16) (field (mut i16)) (field i16) (field i8) (field f64) (field (mut i16))))
    (type (;14;) (sub (array (mut i16))))
    (type (;15;) (sub (func (param i32 i32 f32))))
    (type (;16;) (sub (struct (field (mut i16)) (field (mut i16)) (field (mut i16)) (field i64) (field i8) (field (mut i64)) (field i16) (field i16) (field (ref null 8)) (field (mut i16)) (field (mut eqref)) (field (mut i8)) (field i8))))
    (type (;17;) (array (ref null 6)))
    (type (;18;) (func (result i31ref)))
    (type (;19;) (sub (array (mut i32))))
    (type (;20;) (func (result i64 i32 f64)))
    (type (;21;) (sub (struct (field i32) (field i32) (field (mut i16)) (field (mut i8)) (field f64) (field i8) (field (mut i16)) (field (mut i8)) (field (mut i32)) (field i32) (field (mut i8)) (field i64))))
    (type (;22;) (sub (func (param f64 f32) (result i32 i32))))
    (type (;23;) (array (mut i16)))
    (type (;24;) (array i16))
    (type (;25;) (sub (array (mut f32))))
    (type (;26;) (array (mut arrayref)))
    (type (;27;) (sub (func (param f32 f64) (result i64 f32))))
    (type (;28;) (sub (struct (field (mut i8)) (field (mut f64)) (field (mut f32)) (field (mut i8)) (field f64) (field i16) (field (mut i8)) (field i16) (field i16) (field f32))))
    (type (;29;) (sub (array (mut anyref))))
    (type (;30;) (sub (array i16)))
    (type (;31;) (struct (field i8) (field (mut i32)) (field (mut i16)) (field (mut i16)) (field f64) (field i16) (field (mut i16)) (field i16) (field f64) (field (mut i8)) (field (mut i8)) (field (mut i64)) (field (mut i8)) (field i32) (field i8) (field (mut i8)) (field i16)))
    (type (;32;) (sub (array (mut f32))))
    (type (;33;) (sub (struct)))
    (type (;34;) (func (param f64 i64)))
    (type (;35;) (struct (field i16) (field f64) (field i8) (field i16) (field (mut i8)) (field (mut i16)) (field f64) (field (mut i16)) (field i8)))
    (type (;36;) (struct (field i16) (field i16) (field (mut i8)) (field (mut i8)) (field (mut i8)) (field (mut i64)) (field (mut i16)) (field i8) (field i16) (field (mut i16)) (field (mut i16)) (field (mut f32)) (field (mut i8)) (field (ref null 7)) (field i8) (field (mut i8)) (field i8) (field (mut i8)) (field (mut f32))))
  )
  (table (;0;) 129 256 eqref i32.const -208624037 i32.const 746934953 i32.const 1085733141 i32.const 394181401 i32.const -1256355235 i32.const -901344117 i32.const 1366597371 i32.mul i32.sub i32.sub i32.mul i32.add i32.const -1355123576 i32.const -284716345 i32.mul i32.add i32.add array.new_default 24)
  (table (;1;) i64 160 961 structref)
  (tag (;0;) (type 34) (param f64 i64))
  (tag (;1;) (type 5))
  (export ".h\u{811e}" (func 0))
  (export "" (table 0))
  (export "2" (table 1))
  (elem (;0;) exnref)
  (elem (;1;) (table 0) (i32.const 11) (ref null 33))
  (func (;0;) (type 15) (param i32 i32 f32)
    (local externref i64 f32 f32 f64)
    f32.const 0x1.p-142 (;=0.00000000000000000000000000000000000000000018;)
    local.tee 2
    i32.reinterpret_f32
    br_table 0 0
    struct.new 33
    throw 1
    br_on_null 0
    table.size 1
    local.set 4
    array.new_fixed 29 0
    elem.drop 0
    struct.new_default 31
    ref.is_null
    if (result f32) ;; label = @1
      f64.const 0x1.fp-1070 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000153;)
      f32.demote_f64
      i64.trunc_f32_u
      try_table (type 18) (result i31ref) (catch 1 1) (catch_all 1) (catch 1 1) (catch 1 1) (catch_all 1) (catch 1 1) (catch 1 1) (catch 1 1) (catch_all 1) (catch_all 1) ;; label = @2
        br 2
        local.get 3
        f32.const 0x1.58ae5cp-77 (;=0.000000000000000000000008909797;)
        i32.trunc_f32_u
        i32.ctz
        f64.const -nan:0xf800000000000 (;=NaN;)
        struct.new_default 35
        struct.new 33
        elem.drop 0
        ref.is_null
        local.set 1
        ref.test (ref none)
        try_table ;; label = @3
          struct.new 33
          struct.new 33
          ref.is_null
          local.get 4
          i64.extend16_s
          br 0 (;@3;)
          f32.convert_i64_s
          throw 1
          local.set 2
          local.set 1
          f32.const 0x1.p-142 (;=0.00000000000000000000000000000000000000000018;)
          f32.ceil
          local.tee 5
          f32.const nan (;=NaN;)
          local.get 5
          local.get 5
          f32.eq
          select
          f32.floor
          local.tee 6
          f32.const nan (;=NaN;)
          local.get 6
          local.get 6
          f32.eq
          select
          block ;; label = @4
            local.get 2
            f32.abs
            f32.const 0x1.fffffcp-127 (;=0.000000000000000000000000000000000000011754942;)
            array.new_fixed 32 0
            ref.test (ref none)
            f64.const 0x1.fffff8p-1053 (;=0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002072261;)
            elem.drop 0
            i32.trunc_f64_s
            i32.rotr
            select
            i64.trunc_sat_f32_u
            i32.const -1294133487
            i64.extend_i32_u
            i64.extend8_s
            f64.reinterpret_i64
            block (type 18) (result i31ref) ;; label = @5
              table.size 0
              elem.drop 1
              local.set 0
              return
              i64.const 8683863380034016165
              local.tee 4
              elem.drop 0
              elem.drop 0
              table.get 1
              i32.const 1855451186
              array.new 29
              array.len
              i32.extend8_s
              br_if 2 (;@3;)
              struct.new_default 33
              local.get 0
              local.tee 1
              i32.popcnt
              elem.drop 1
              i32.extend16_s
              try_table (result i32) (catch_all 2 (;@3;)) (catch 1 5) (catch 1 1 (;@4;)) (catch_all 5) (catch 1 1 (;@4;)) (catch_all 2 (;@3;)) (catch_all 5) (catch_all 1 (;@4;)) (catch_all 5) (catch_all 5) ;; label = @6
                i64.const 5845720961698198930
                f64.convert_i64_u
                f64.nearest
                local.tee 7
                f64.const nan (;=NaN;)
                local.get 7
                local.get 7
                f64.eq
                select
                struct.new_default 16
                ref.cast (ref none)
                block (type 20) (result i64 i32 f64) ;; label = @7
                  ref.null 1
                  br 7
                  extern.convert_any
                  ref.test nullexternref
                  block ;; label = @8
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
    else
      unreachable
    end
    unreachable
  )
)
