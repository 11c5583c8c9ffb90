;; The alpha kernel's scan (alpha.ts, `alphaScanInto4`: accumulate A and B, then the quick bound)
;; as a WebAssembly SIMD (f64x2) kernel over one imported memory, two neurons per f64x2. Addresses
;; and strides are in bytes.
;;
;; Neurons come in pairs p = 0..pairs−1 (neurons 2p and 2p + 1); their sums are interleaved
;; [A, B] per neuron at $sums (32 bytes per pair), read at the start and written back at the end.
;; Input r = 0..R−1 has time[r], exp[r] = e^(K t), thr[r] = θ e^(K t), time[R] the time after the
;; last input, and the weight of neuron q at input r is the f64 at rowAt[r] + q·nStride.
;;
;; Per input, per neuron: we = w·e, A += we, B += we·t, and the quick bound A·t_next − B ≥ θ e^(K t)
;; (alpha.ts). Each lane does the scalar operations in their order (no fused multiply-add), so the
;; sums and decisions are the scalar scan's bit for bit. Every (neuron, input) that passes the bound
;; is recorded, four f64 per record (neuron, input, A, B), at $passes in pair, input, lane order;
;; the caller decides them exactly (Lambert W) in that order: a neuron's first record that solves is
;; its spike, and its later records are ignored. A neuron with B = +∞ never passes the bound (A·t − ∞
;; is −∞, or NaN at t = ∞), so a pair whose two B are +∞ (both fired) is skipped. Returns the
;; number of records.
;;
;; Assembled by scripts/assembleKernels.mjs (npm package wabt) into alphaScanWasm.ts.
(module
  (import "env" "memory" (memory 1))

  (func (export "scan")
    (param $rowAt i32) (param $nStride i32) (param $time i32) (param $exp i32) (param $thr i32)
    (param $sums i32) (param $pairs i32) (param $R i32) (param $passes i32) (result i32)
    (local $p i32) (local $r i32) (local $n i32) (local $off i32) (local $at i32) (local $ps i32) (local $rec i32)
    (local $a v128) (local $b v128) (local $w v128) (local $e v128) (local $t v128) (local $we v128)
    (local $m v128) (local $v0 v128) (local $v1 v128)
    (local.set $rec (local.get $passes))
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.ge_u (local.get $p) (local.get $pairs)))
        (local.set $ps (i32.add (local.get $sums) (i32.shl (local.get $p) (i32.const 5))))
        (local.set $v0 (v128.load (local.get $ps)))
        (local.set $v1 (v128.load offset=16 (local.get $ps)))
        ;; a = (A0, A1), b = (B0, B1)
        (local.set $a (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $b (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (if (i32.eqz (v128.any_true
              (v128.not (f64x2.eq (local.get $b) (f64x2.splat (f64.const inf))))))
          (then (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $pair)))
        (local.set $off (i32.mul (i32.shl (local.get $p) (i32.const 1)) (local.get $nStride)))
        (local.set $r (i32.const 0))
        (block $inputsDone
          (loop $input
            (br_if $inputsDone (i32.ge_u (local.get $r) (local.get $R)))
            (local.set $at (i32.add (i32.load (i32.add (local.get $rowAt) (i32.shl (local.get $r) (i32.const 2))))
              (local.get $off)))
            (local.set $w (f64x2.replace_lane 1 (v128.load64_splat (local.get $at))
              (f64.load (i32.add (local.get $at) (local.get $nStride)))))
            (local.set $n (i32.shl (local.get $r) (i32.const 3)))
            (local.set $e (v128.load64_splat (i32.add (local.get $exp) (local.get $n))))
            (local.set $t (v128.load64_splat (i32.add (local.get $time) (local.get $n))))
            (local.set $we (f64x2.mul (local.get $w) (local.get $e)))
            (local.set $a (f64x2.add (local.get $a) (local.get $we)))
            (local.set $b (f64x2.add (local.get $b) (f64x2.mul (local.get $we) (local.get $t))))
            (local.set $m (f64x2.ge
              (f64x2.sub (f64x2.mul (local.get $a) (v128.load64_splat offset=8 (i32.add (local.get $time) (local.get $n))))
                (local.get $b))
              (v128.load64_splat (i32.add (local.get $thr) (local.get $n)))))
            (if (v128.any_true (local.get $m))
              (then
                (if (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.shl (local.get $p) (i32.const 1))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 0 (local.get $a)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 0 (local.get $b)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (if (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $m)))
                  (then
                    (f64.store (local.get $rec)
                      (f64.convert_i32_u (i32.add (i32.shl (local.get $p) (i32.const 1)) (i32.const 1))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 1 (local.get $a)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 1 (local.get $b)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $input)))
        ;; back to [A0, B0, A1, B1]
        (v128.store (local.get $ps)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
        (v128.store offset=16 (local.get $ps)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pair)))
    (i32.shr_u (i32.sub (local.get $rec) (local.get $passes)) (i32.const 5))))
