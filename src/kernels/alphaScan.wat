;; The alpha kernel's scan (alpha.ts, `alphaScanInto4`: accumulate A and B, then the quick bound)
;; as a WebAssembly SIMD (f64x2) kernel over one imported memory, eight neurons per iteration (four
;; f64x2, so the dependency chains of the sums overlap). Addresses and strides are in bytes.
;;
;; Neurons come in groups g = 0..groups−1 (neurons 8g … 8g + 7); their sums are interleaved [A, B]
;; per neuron at $sums (128 bytes per group), read at the start and written back at the end. Input
;; r = 0..R−1 is the record [time, e^(K t), θ e^(K t), −] at $inputs + 32r, the time of record R is
;; the time after the last input, and the weight of neuron 8g + j at input r is the f64 at
;; rowAt[r] + (8g + j)·nStride.
;;
;; Per input, per neuron: we = w·e, A += we, B += we·t, and the quick bound A·t_next − B ≥ θ e^(K t)
;; (alpha.ts). Each lane does the scalar operations in their order (no fused multiply-add), so the
;; sums and decisions are the scalar scan's bit for bit. Every (neuron, input) that passes the bound
;; is recorded, four f64 per record (neuron, input, A, B), at $passes in group, input, lane order
;; (written in the loop itself: with a call there, V8 kept the sums on the stack, stored at every
;; input, since a call may overwrite any vector register; each pair's weights are loaded where they
;; are used, for the same reason);
;; the caller decides them exactly (Lambert W) in that order: a neuron's first record that solves is
;; its spike, and its later records are ignored. A neuron with B = +∞ never passes the bound (A·t − ∞
;; is −∞, or NaN at t = ∞), so a group whose eight B are +∞ (all fired, or padding) is skipped.
;; Returns the number of records.
;;
;; `solve` then decides the records (alpha.ts, `alphaSolveInterval`) where it can do so exactly as
;; the JavaScript does: e^x by V8's algorithm (the fdlibm `$exp`, spliced in from
;; src/baseline/annKernels.wat when assembled) and W0 by lambertW.ts's table on its usual range, the
;; same operations in the same order. It leaves the rest (x outside that range, a spike at +∞) to
;; the caller.
;;
;; Assembled by scripts/assembleKernels.mjs (npm package wabt) into alphaScanWasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func (export "scan")
    (param $rowAt i32) (param $nStride i32) (param $inputs i32)
    (param $sums i32) (param $groups i32) (param $R i32) (param $passes i32) (result i32)
    (local $g i32) (local $r i32) (local $off i32) (local $at i32) (local $at4 i32) (local $ps i32) (local $rec i32) (local $in i32) (local $row i32)
    (local $s2 i32) (local $s3 i32) (local $s4 i32)
    (local $a0 v128) (local $b0 v128) (local $a1 v128) (local $b1 v128) (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local $m v128) (local $e v128) (local $t v128) (local $tn v128) (local $th v128) (local $we v128) (local $v0 v128) (local $v1 v128)
    (local.set $rec (local.get $passes))
    (local.set $s2 (i32.shl (local.get $nStride) (i32.const 1)))
    (local.set $s3 (i32.add (local.get $s2) (local.get $nStride)))
    (local.set $s4 (i32.shl (local.get $nStride) (i32.const 2)))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $ps (i32.add (local.get $sums) (i32.shl (local.get $g) (i32.const 7))))
        ;; a0 = (A0, A1), b0 = (B0, B1)
        (local.set $v0 (v128.load offset=0 (local.get $ps)))
        (local.set $v1 (v128.load offset=16 (local.get $ps)))
        (local.set $a0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $b0 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        ;; a1 = (A2, A3), b1 = (B2, B3)
        (local.set $v0 (v128.load offset=32 (local.get $ps)))
        (local.set $v1 (v128.load offset=48 (local.get $ps)))
        (local.set $a1 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $b1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        ;; a2 = (A4, A5), b2 = (B4, B5)
        (local.set $v0 (v128.load offset=64 (local.get $ps)))
        (local.set $v1 (v128.load offset=80 (local.get $ps)))
        (local.set $a2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $b2 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        ;; a3 = (A6, A7), b3 = (B6, B7)
        (local.set $v0 (v128.load offset=96 (local.get $ps)))
        (local.set $v1 (v128.load offset=112 (local.get $ps)))
        (local.set $a3 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
        (local.set $b3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
        (if (i32.eqz (v128.any_true (v128.or (v128.or (v128.not (f64x2.eq (local.get $b0) (f64x2.splat (f64.const inf)))) (v128.not (f64x2.eq (local.get $b1) (f64x2.splat (f64.const inf))))) (v128.or (v128.not (f64x2.eq (local.get $b2) (f64x2.splat (f64.const inf)))) (v128.not (f64x2.eq (local.get $b3) (f64x2.splat (f64.const inf))))))))
          (then (local.set $g (i32.add (local.get $g) (i32.const 1))) (br $group)))
        (local.set $off (i32.mul (i32.shl (local.get $g) (i32.const 3)) (local.get $nStride)))
        (local.set $r (i32.const 0))
        (local.set $in (local.get $inputs))
        (local.set $row (local.get $rowAt))
        (block $inputsDone
          (loop $input
            (br_if $inputsDone (i32.ge_u (local.get $r) (local.get $R)))
            (local.set $at (i32.add (i32.load (local.get $row)) (local.get $off)))
            (local.set $at4 (i32.add (local.get $at) (local.get $s4)))
            (local.set $t (v128.load64_splat (local.get $in)))
            (local.set $e (v128.load64_splat offset=8 (local.get $in)))
            ;; each pair's weights loaded where they are used (short live ranges: no spills)
            (local.set $we (f64x2.mul (f64x2.replace_lane 1 (v128.load64_splat (local.get $at)) (f64.load (i32.add (local.get $at) (local.get $nStride)))) (local.get $e)))
            (local.set $a0 (f64x2.add (local.get $a0) (local.get $we)))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $we) (local.get $t))))
            (local.set $we (f64x2.mul (f64x2.replace_lane 1 (v128.load64_splat (i32.add (local.get $at) (local.get $s2))) (f64.load (i32.add (local.get $at) (local.get $s3)))) (local.get $e)))
            (local.set $a1 (f64x2.add (local.get $a1) (local.get $we)))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $we) (local.get $t))))
            (local.set $we (f64x2.mul (f64x2.replace_lane 1 (v128.load64_splat (local.get $at4)) (f64.load (i32.add (local.get $at4) (local.get $nStride)))) (local.get $e)))
            (local.set $a2 (f64x2.add (local.get $a2) (local.get $we)))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $we) (local.get $t))))
            (local.set $we (f64x2.mul (f64x2.replace_lane 1 (v128.load64_splat (i32.add (local.get $at4) (local.get $s2))) (f64.load (i32.add (local.get $at4) (local.get $s3)))) (local.get $e)))
            (local.set $a3 (f64x2.add (local.get $a3) (local.get $we)))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $we) (local.get $t))))
            (local.set $tn (v128.load64_splat offset=32 (local.get $in)))
            (local.set $th (v128.load64_splat offset=16 (local.get $in)))
            ;; the quick bound of the eight neurons, or-ed into one mask; the lanes again, in the
            ;; rare case that one passed (the same operations on the same values)
            (if (v128.any_true (v128.or
                  (v128.or (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a0) (local.get $tn)) (local.get $b0)) (local.get $th))
                           (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a1) (local.get $tn)) (local.get $b1)) (local.get $th)))
                  (v128.or (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a2) (local.get $tn)) (local.get $b2)) (local.get $th))
                           (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a3) (local.get $tn)) (local.get $b3)) (local.get $th)))))
              (then
                ;; the records, written here rather than by a call: a call in the loop makes the
                ;; compiler keep the sums on the stack (caller-saved registers), stored every input
                (local.set $m (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a0) (local.get $tn)) (local.get $b0)) (local.get $th)))
                (if (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 0))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 0 (local.get $a0)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 0 (local.get $b0)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (if (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 1))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 1 (local.get $a0)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 1 (local.get $b0)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (local.set $m (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a1) (local.get $tn)) (local.get $b1)) (local.get $th)))
                (if (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 2))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 0 (local.get $a1)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 0 (local.get $b1)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (if (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 3))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 1 (local.get $a1)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 1 (local.get $b1)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (local.set $m (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a2) (local.get $tn)) (local.get $b2)) (local.get $th)))
                (if (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 4))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 0 (local.get $a2)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 0 (local.get $b2)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (if (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 5))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 1 (local.get $a2)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 1 (local.get $b2)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (local.set $m (f64x2.ge (f64x2.sub (f64x2.mul (local.get $a3) (local.get $tn)) (local.get $b3)) (local.get $th)))
                (if (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 6))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 0 (local.get $a3)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 0 (local.get $b3)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))
                (if (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $m)))
                  (then
                    (f64.store (local.get $rec) (f64.convert_i32_u (i32.add (i32.shl (local.get $g) (i32.const 3)) (i32.const 7))))
                    (f64.store offset=8 (local.get $rec) (f64.convert_i32_u (local.get $r)))
                    (f64.store offset=16 (local.get $rec) (f64x2.extract_lane 1 (local.get $a3)))
                    (f64.store offset=24 (local.get $rec) (f64x2.extract_lane 1 (local.get $b3)))
                    (local.set $rec (i32.add (local.get $rec) (i32.const 32)))))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (local.set $in (i32.add (local.get $in) (i32.const 32)))
            (local.set $row (i32.add (local.get $row) (i32.const 4)))
            (br $input)))
        ;; back to [A0, B0, A1, B1, …]
        (v128.store offset=0 (local.get $ps) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $b0)))
        (v128.store offset=16 (local.get $ps) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $b0)))
        (v128.store offset=32 (local.get $ps) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a1) (local.get $b1)))
        (v128.store offset=48 (local.get $ps) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a1) (local.get $b1)))
        (v128.store offset=64 (local.get $ps) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $b2)))
        (v128.store offset=80 (local.get $ps) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $b2)))
        (v128.store offset=96 (local.get $ps) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a3) (local.get $b3)))
        (v128.store offset=112 (local.get $ps) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a3) (local.get $b3)))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $group)))
    (i32.shr_u (i32.sub (local.get $rec) (local.get $passes)) (i32.const 5)))
  ;; W0(x) for x in [−0.3, 0.1) (lambertW.ts, lambertW0Usual): the piece i = min(floor((x + 0.3)·160), 63),
  ;; u = (x − centre_i)·320, x·(q0 + (q1 + c8 u⁴) u⁴) with q0 = c0 + c1 u + (c2 + c3 u) u², q1 likewise
  ;; (Estrin). $table: the 64 centres, then 64 × 9 coefficients (lambertWTable.ts).
  (func $lambertW0Usual (param $x f64) (param $table i32) (result f64)
    (local $i i32) (local $c i32) (local $u f64) (local $u2 f64) (local $u4 f64)
    (local.set $i (i32.trunc_f64_s (f64.mul (f64.add (local.get $x) (f64.const 0.3)) (f64.const 160))))
    (if (i32.gt_s (local.get $i) (i32.const 63)) (then (local.set $i (i32.const 63))))
    (local.set $u (f64.mul
      (f64.sub (local.get $x) (f64.load (i32.add (local.get $table) (i32.shl (local.get $i) (i32.const 3)))))
      (f64.const 320)))
    (local.set $c (i32.add (i32.add (local.get $table) (i32.const 512)) (i32.mul (local.get $i) (i32.const 72))))
    (local.set $u2 (f64.mul (local.get $u) (local.get $u)))
    (local.set $u4 (f64.mul (local.get $u2) (local.get $u2)))
    (f64.mul (local.get $x)
      (f64.add
        (f64.add
          (f64.add (f64.load offset=0 (local.get $c)) (f64.mul (f64.load offset=8 (local.get $c)) (local.get $u)))
          (f64.mul (f64.add (f64.load offset=16 (local.get $c)) (f64.mul (f64.load offset=24 (local.get $c)) (local.get $u)))
            (local.get $u2)))
        (f64.mul
          (f64.add
            (f64.add
              (f64.add (f64.load offset=32 (local.get $c)) (f64.mul (f64.load offset=40 (local.get $c)) (local.get $u)))
              (f64.mul (f64.add (f64.load offset=48 (local.get $c)) (f64.mul (f64.load offset=56 (local.get $c)) (local.get $u)))
                (local.get $u2)))
            (f64.mul (f64.load offset=64 (local.get $c)) (local.get $u4)))
          (local.get $u4)))))

  ;; The records [0, count) at $passes (neuron, input r, A, B), decided as alphaSolveInterval decides
  ;; them over [t_r, t_{r+1}] (the records of $inputs): two f64 per record at $out, (t, W) for a spike
  ;; at t; t = NaN for none in the interval; t = −∞ when the caller must decide (x outside W0's table,
  ;; or t = +∞). With x = −(Kθ/A)·e^(KB/A): no spike unless A > 0 and x ≥ −1/e; t = B/A − W0(x)/K
  ;; must lie in [t_r, t_{r+1}].
  (func (export "solve")
    (param $passes i32) (param $count i32) (param $inputs i32) (param $table i32) (param $out i32)
    (param $K f64) (param $theta f64)
    (local $q i32) (local $rec i32) (local $in i32) (local $a f64) (local $b f64) (local $x f64) (local $w f64) (local $t f64)
    (local.set $rec (local.get $passes))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $count)))
        (local.set $a (f64.load offset=16 (local.get $rec)))
        (local.set $b (f64.load offset=24 (local.get $rec)))
        (local.set $t (f64.const nan))
        (block $decided
          (br_if $decided (i32.eqz (f64.gt (local.get $a) (f64.const 0))))
          (local.set $x (f64.mul
            (f64.neg (f64.div (f64.mul (local.get $K) (local.get $theta)) (local.get $a)))
            (call $exp (f64.div (f64.mul (local.get $K) (local.get $b)) (local.get $a)))))
          (br_if $decided (i32.eqz (f64.ge (local.get $x) (f64.const -0.36787944117144233))))
          (local.set $t (f64.const -inf))
          (br_if $decided (i32.eqz (i32.and (i32.and (f64.ge (local.get $x) (f64.const -0.3)) (f64.lt (local.get $x) (f64.const 0.1)))
            (i32.or (f64.ge (local.get $x) (f64.const 1e-3)) (f64.le (local.get $x) (f64.const -1e-3))))))
          (local.set $w (call $lambertW0Usual (local.get $x) (local.get $table)))
          (local.set $t (f64.sub (f64.div (local.get $b) (local.get $a)) (f64.div (local.get $w) (local.get $K))))
          (local.set $in (i32.add (local.get $inputs)
            (i32.shl (i32.trunc_f64_u (f64.load offset=8 (local.get $rec))) (i32.const 5))))
          (if (i32.eqz (i32.and (f64.ge (local.get $t) (f64.load (local.get $in)))
                (f64.le (local.get $t) (f64.load offset=32 (local.get $in)))))
            (then (local.set $t (f64.const nan)) (br $decided)))
          (if (f64.eq (local.get $t) (f64.const inf)) (then (local.set $t (f64.const -inf)))))
        (f64.store (local.get $out) (local.get $t))
        (f64.store offset=8 (local.get $out) (local.get $w))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $rec (i32.add (local.get $rec) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next)))
  )

;; Settles the decided records from record $q on, in order, as the caller's loop over them did:
  ;; a neuron's first record with a spike (t not NaN) is its spike. For record q, neuron j (its
  ;; first f64, plus $shift from record $inPlaceRecords on: the second scan call counts from its
  ;; first row) and input r: skipped when j has fired ($fired: an i32 per neuron) or t is NaN;
  ;; otherwise j fires: t, A, B, W and from + r + 1 go to $outT, $outA, $outB, $outW (f64) and
  ;; $outC (i32) at j, its flag is set, its B in $sums set to +∞, and k0 + j appended to the fired
  ;; list $list (the count at $state, an i32). Stops at a record with t = −∞ (the caller decides
  ;; it, then goes on from the next) and returns its index; returns $count when all are settled.
  (func (export "settle")
    (param $passes i32) (param $decided i32) (param $q i32) (param $count i32)
    (param $inPlaceRecords i32) (param $shift i32) (param $fired i32)
    (param $outT i32) (param $outA i32) (param $outB i32) (param $outW i32) (param $outC i32)
    (param $sums i32) (param $list i32) (param $state i32) (param $from i32) (param $k0 i32)
    (result i32)
    (local $rec i32) (local $dec i32) (local $j i32) (local $j8 i32) (local $t f64) (local $n i32)
    (local.set $n (i32.load (local.get $state)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $q) (local.get $count)))
        (local.set $rec (i32.add (local.get $passes) (i32.shl (local.get $q) (i32.const 5))))
        (local.set $dec (i32.add (local.get $decided) (i32.shl (local.get $q) (i32.const 4))))
        (local.set $j (i32.trunc_f64_u (f64.load (local.get $rec))))
        (if (i32.ge_u (local.get $q) (local.get $inPlaceRecords))
          (then (local.set $j (i32.add (local.get $j) (local.get $shift)))))
        (block $skip
          (br_if $skip (i32.load (i32.add (local.get $fired) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $t (f64.load (local.get $dec)))
          (br_if $skip (f64.ne (local.get $t) (local.get $t)))
          (if (f64.eq (local.get $t) (f64.const -inf))
            (then
              (i32.store (local.get $state) (local.get $n))
              (return (local.get $q))))
          (local.set $j8 (i32.shl (local.get $j) (i32.const 3)))
          (f64.store (i32.add (local.get $outT) (local.get $j8)) (local.get $t))
          (f64.store (i32.add (local.get $outA) (local.get $j8)) (f64.load offset=16 (local.get $rec)))
          (f64.store (i32.add (local.get $outB) (local.get $j8)) (f64.load offset=24 (local.get $rec)))
          (f64.store (i32.add (local.get $outW) (local.get $j8)) (f64.load offset=8 (local.get $dec)))
          (i32.store (i32.add (local.get $outC) (i32.shl (local.get $j) (i32.const 2)))
            (i32.add (i32.add (local.get $from) (i32.trunc_f64_u (f64.load offset=8 (local.get $rec)))) (i32.const 1)))
          (i32.store (i32.add (local.get $fired) (i32.shl (local.get $j) (i32.const 2))) (i32.const 1))
          (f64.store offset=8 (i32.add (local.get $sums) (i32.shl (local.get $j) (i32.const 4))) (f64.const inf))
          (i32.store (i32.add (local.get $list) (i32.shl (local.get $n) (i32.const 2))) (i32.add (local.get $k0) (local.get $j)))
          (local.set $n (i32.add (local.get $n) (i32.const 1))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $next)))
    (i32.store (local.get $state) (local.get $n))
    (local.get $count))

  ;; splice: exp (the fdlibm "$exp" function of src/baseline/annKernels.wat, put here by scripts/assembleKernels.mjs)
)
