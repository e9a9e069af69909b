;; Found by osbuild fuzz (minimized with wasm-tools shrink):
;; instantiation: ours Outcome(kind='trap', values=[], trap=13), wasmtime Outcome(kind='trap', values=[], trap='ALLOCATION_TOO_LARGE')
(module
  (rec
    (type (;0;) (func (param i64 f64)))
    (type (;1;) (sub (struct (field (mut i16)) (field (mut i8)) (field (mut i8)) (field (mut i16)) (field i8) (field (mut f64)) (field (mut i8)) (field (mut anyref)) (field (mut i8)) (field (mut i16)) (field (mut f64)))))
    (type (;2;) (struct (field i16) (field f64) (field eqref) (field (mut nullref)) (field i16)))
    (type (;3;) (struct (field i16) (field (mut i8)) (field (mut i32)) (field (mut i64)) (field i16) (field i16) (field (mut i16)) (field i64) (field i64) (field i16)))
    (type (;4;) (func (result i32 structref i32)))
    (type (;5;) (sub (array f64)))
    (type (;6;) (sub 5 (array f64)))
    (type (;7;) (sub (array i16)))
    (type (;8;) (func (param i64) (result i64 i31ref f32)))
    (type (;9;) (sub (array (mut nullref))))
    (type (;10;) (struct (field i16) (field (mut i32)) (field i8) (field i16) (field i16) (field i8)))
    (type (;11;) (sub (struct (field (mut i8)) (field (mut f64)) (field (mut i8)) (field i8) (field i16) (field (mut i8)) (field i64) (field i16) (field f64) (field (mut i16)) (field i16) (field (mut i8)))))
    (type (;12;) (sub (func (param f32 arrayref) (result nullref))))
    (type (;13;) (array (mut f32)))
    (type (;14;) (func))
    (type (;15;) (sub (array f64)))
    (type (;16;) (array i16))
    (type (;17;) (sub final 15 (array f64)))
    (type (;18;) (sub (array (mut i8))))
    (type (;19;) (sub (array f64)))
    (type (;20;) (array (mut i16)))
    (type (;21;) (sub (array (mut i32))))
    (type (;22;) (sub (array (mut i8))))
    (type (;23;) (sub (func (param i32) (result f32))))
    (type (;24;) (sub (struct (field i8) (field (mut i16)) (field i16) (field (mut i8)) (field (mut i8)) (field i16) (field (mut i64)) (field (mut f64)) (field (mut i16)) (field externref) (field (mut i8)) (field (mut i16)) (field (mut i16)) (field (mut i16)) (field (mut i8)) (field (mut i8)))))
    (type (;25;) (sub (array i16)))
    (type (;26;) (sub (struct (field i16) (field i16) (field (mut i16)) (field (mut f64)) (field (mut i16)) (field (mut i8)) (field i8) (field i64) (field (mut i16)) (field i16) (field (mut arrayref)) (field (mut i32)) (field i8) (field (mut i16)) (field (mut f64)) (field (mut i8)) (field i16))))
    (type (;27;) (array i32))
    (type (;28;) (func))
    (type (;29;) (array (mut f64)))
    (type (;30;) (func))
    (type (;31;) (func (result f64 i64)))
    (type (;32;) (sub (array (mut i16))))
    (type (;33;) (array (mut i16)))
    (type (;34;) (func (param f32)))
    (type (;35;) (func (param i32) (result i32 f64 i64)))
  )
  (table (;0;) i64 12 977 (ref null 9) ref.null 9)
  (table (;1;) i64 4 513 arrayref f64.const 0x1.b3d843013b9f6p+693 (;=69964683070935130000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000;) i32.const 615960738 array.new 19)
  (memory (;0;) i64 10 15)
  (tag (;0;) (type 28))
  (global (;0;) (ref null 23) ref.null 23)
  (global (;1;) (mut i64) i64.const 0)
  (global (;2;) (mut i64) i64.const 0)
  (global (;3;) (mut i32) i32.const 0)
  (global (;4;) (mut i32) i32.const 0)
  (export "" (func 0))
  (export "1" (table 0))
  (export "2" (table 1))
  (export "3" (memory 0))
  (export "4" (global 0))
  (export "5" (global 1))
  (export "C" (global 2))
  (export "7" (global 3))
  (export "0" (global 4))
  (func (;0;) (type 4) (result i32 structref i32)
    (local (ref null 31) f32 f64)
    block (result f32) ;; label = @1
      call 0
      struct.new_default 24
      ref.cast (ref none)
      throw 0
      ref.cast (ref none)
      table.size 0
      table.grow 1
      local.get 0
      local.tee 0
      local.set 0
      i64.clz
      f32.load offset=396398
      local.get 0
      nop
      nop
      return_call 0
      i32.eqz
      nop
      f32.convert_i32_u
      local.get 0
      f64.const -0x1p-52 (;=-0.0000000000000002220446049250313;)
      f32.const -0x1.1ccfp-83 (;=-0.00000000000000000000000011503327;)
      memory.size
      i64.const 131071
      f64.const 0x1.5462cbf84d7f9p-582 (;=0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000083999006930872;)
      i64.reinterpret_f64
      i64.const -3003373025832447516
      i64.or
      i64.ne
      if (type 8) (param i64) (result i64 i31ref f32) ;; label = @2
        i32.load8_u offset=509296
        struct.new_default 3
        try_table ;; label = @3
          global.get 0
          global.get 0
          ref.is_null
          i32.clz
          f64.convert_i32_s
          i32.trunc_sat_f64_s
          i64.const 8483125683883119697
          i64.load8_u offset=352181
          f32.convert_i64_s
          f32.sqrt
          local.tee 1
          f32.const nan (;=NaN;)
          local.get 1
          local.get 1
          f32.eq
          select
          loop (type 4) (result i32 structref i32) ;; label = @4
            struct.new_default 24
            try_table (result arrayref) (catch 0 0 (;@4;)) (catch_all 0 (;@4;)) (catch_all 0 (;@4;)) (catch_all 0 (;@4;)) (catch 0 0 (;@4;)) (catch_all 1 (;@3;)) (catch 0 0 (;@4;)) (catch 0 0 (;@4;)) (catch 0 1 (;@3;)) ;; label = @5
              memory.size
              local.get 0
              loop (type 4) (result i32 structref i32) ;; label = @6
                memory.size
                i32.const 459211745
                table.size 0
                f64.load offset=666331 align=1
                f64.floor
                local.tee 2
                f64.const nan (;=NaN;)
                local.get 2
                local.get 2
                f64.eq
                select
                i64.trunc_f64_u
                i64.load offset=584266 align=2
                block (type 8) (param i64) (result i64 i31ref f32) ;; label = @7
                  i64.popcnt
                  i64.load16_s offset=196824 align=1
                  memory.grow
                  i64.load8_u offset=510417
                  i64.extend16_s
                  block (type 28) ;; label = @8
                    local.get 0
                    ref.is_null
                    f64.const -nan:0xff00000000000 (;=NaN;)
                    ref.null 28
                    block (type 31) (result f64 i64) ;; label = @9
                      call 0
                      ref.null any
                      br 3 (;@6;)
                      f64.const -0x1.6663f0d93420cp-539 (;=-0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000777944710510807;)
                      i64.const -2478706363830457870
                      table.size 0
                      i64.add
                      struct.new_default 26
                      table.size 0
                      f64.convert_i64_s
                      i64.const -1025
                      local.get 0
                      drop
                      global.get 1
                      i64.xor
                      global.set 1
                      i64.reinterpret_f64
                      global.get 2
                      i64.xor
                      global.set 2
                      drop
                      drop
                      i64.reinterpret_f64
                      global.get 2
                      i64.xor
                      global.set 2
                      drop
                      global.get 3
                      i32.xor
                      global.set 3
                      drop
                      global.get 3
                      i32.xor
                      global.set 3
                      f64.const 0x1.32f93cbdb1a58p-26 (;=0.000000017868214233544606;)
                      i64.const -8671233035228866576
                    end
                    global.get 1
                    i64.xor
                    global.set 1
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    drop
                    i64.reinterpret_f64
                    global.get 2
                    i64.xor
                    global.set 2
                    global.get 3
                    i32.xor
                    global.set 3
                  end
                  ref.null i31
                  f32.const 0x1.4d6fb6p+6 (;=83.35909;)
                end
                i32.reinterpret_f32
                global.get 4
                i32.xor
                global.set 4
                drop
                global.get 1
                i64.xor
                global.set 1
                global.get 3
                i32.xor
                global.set 3
                global.get 1
                i64.xor
                global.set 1
                i32.const 1022398869
                ref.null struct
                i32.const -16385
              end
              global.get 3
              i32.xor
              global.set 3
              drop
              global.get 3
              i32.xor
              global.set 3
              drop
              global.get 1
              i64.xor
              global.set 1
              ref.null array
            end
            drop
            drop
            i32.const -2011002693
            ref.null struct
            i32.const 2047
          end
          global.get 3
          i32.xor
          global.set 3
          drop
          global.get 3
          i32.xor
          global.set 3
          i32.reinterpret_f32
          global.get 4
          i32.xor
          global.set 4
          global.get 3
          i32.xor
          global.set 3
          drop
        end
        drop
        global.get 3
        i32.xor
        global.set 3
        i64.const -3123200225852852605
        ref.null i31
        f32.const -0x1.df4efep-37 (;=-0.000000000013622769;)
      else
        ref.null i31
        f32.const 0x1p-23 (;=0.00000011920929;)
      end
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      drop
      global.get 1
      i64.xor
      global.set 1
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      i64.reinterpret_f64
      global.get 2
      i64.xor
      global.set 2
      drop
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      drop
      global.get 3
      i32.xor
      global.set 3
      drop
      i32.reinterpret_f32
      global.get 4
      i32.xor
      global.set 4
      global.get 3
      i32.xor
      global.set 3
      drop
      global.get 3
      i32.xor
      global.set 3
      f32.const nan:0x7fffff (;=NaN;)
    end
    i32.reinterpret_f32
    global.get 4
    i32.xor
    global.set 4
    i32.const 4095
    ref.null struct
    i32.const -290456822
  )
)
