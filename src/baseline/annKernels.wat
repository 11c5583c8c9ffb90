;; WebAssembly SIMD (f64x2) kernels of the ANN baseline: the dense matrix product, a transpose and
;; the Adam update, over f64 arrays in one imported memory. Addresses and strides are in bytes.
;;
;; Each f64x2 lane does exactly the scalar operations of the plain-JS code in the same order
;; (f64.mul then f64.add, no fused multiply-add; IEEE sqrt and division), so the results are
;; bit for bit those of the per-example functions of ann.ts and of adamUpdateRange.
;;
;; Assembled by scripts/assembleAnnKernels.mjs (npm package wabt) into annKernelsWasm.ts, with the
;; Adam update spliced in from src/kernels/adam.wat (one source for both modules; this memory is
;; not shared, which copies into it from ordinary arrays prefer).
(module
  (import "env" "memory" (memory 1))

  ;; C[i][j] += Σ_p A(i, p) · B(p, j) for p = 0..k-1 in order, C row-major m × n (row stride n·8),
  ;; A(i, p) at a + i·aI + p·aP, B(p, j) at b + p·bP + j·8 (rows of B contiguous).
  ;; Blocks of 4 rows × 4 columns (eight f64x2 accumulators), scalar entries at the edges.
  (func (export "gemmAdd")
    (param $c i32) (param $a i32) (param $aI i32) (param $aP i32) (param $b i32) (param $bP i32)
    (param $m i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $pc i32)
    (local $rc i32) (local $r i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $rc (i32.shl (local.get $n) (i32.const 3)))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
            (local.set $pc (i32.add (local.get $c)
              (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
            (local.set $c00 (v128.load (local.get $pc)))
            (local.set $c01 (v128.load offset=16 (local.get $pc)))
            (local.set $c10 (v128.load (i32.add (local.get $pc) (local.get $rc))))
            (local.set $c11 (v128.load offset=16 (i32.add (local.get $pc) (local.get $rc))))
            (local.set $c20 (v128.load (i32.add (local.get $pc) (i32.shl (local.get $rc) (i32.const 1)))))
            (local.set $c21 (v128.load offset=16 (i32.add (local.get $pc) (i32.shl (local.get $rc) (i32.const 1)))))
            (local.set $c30 (v128.load (i32.add (local.get $pc) (i32.mul (local.get $rc) (i32.const 3)))))
            (local.set $c31 (v128.load offset=16 (i32.add (local.get $pc) (i32.mul (local.get $rc) (i32.const 3)))))
            (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aI))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
            (local.set $p (local.get $k))
            (block $kDone
              (loop $ks
                (br_if $kDone (i32.eqz (local.get $p)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $r (local.get $pa))
                (local.set $x (v128.load64_splat (local.get $r)))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $r (i32.add (local.get $r) (local.get $aI)))
                (local.set $x (v128.load64_splat (local.get $r)))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $r (i32.add (local.get $r) (local.get $aI)))
                (local.set $x (v128.load64_splat (local.get $r)))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $r (i32.add (local.get $r) (local.get $aI)))
                (local.set $x (v128.load64_splat (local.get $r)))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $x) (local.get $b1))))
                (local.set $pa (i32.add (local.get $pa) (local.get $aP)))
                (local.set $pb (i32.add (local.get $pb) (local.get $bP)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br $ks)))
            (v128.store (local.get $pc) (local.get $c00))
            (v128.store offset=16 (local.get $pc) (local.get $c01))
            (v128.store (i32.add (local.get $pc) (local.get $rc)) (local.get $c10))
            (v128.store offset=16 (i32.add (local.get $pc) (local.get $rc)) (local.get $c11))
            (v128.store (i32.add (local.get $pc) (i32.shl (local.get $rc) (i32.const 1))) (local.get $c20))
            (v128.store offset=16 (i32.add (local.get $pc) (i32.shl (local.get $rc) (i32.const 1))) (local.get $c21))
            (v128.store (i32.add (local.get $pc) (i32.mul (local.get $rc) (i32.const 3))) (local.get $c30))
            (v128.store offset=16 (i32.add (local.get $pc) (i32.mul (local.get $rc) (i32.const 3))) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $cols)))
        ;; the last n mod 4 columns of these four rows
        (block $edgeDone
          (loop $edge
            (br_if $edgeDone (i32.ge_u (local.get $j) (local.get $n)))
            (call $entryAdd (local.get $c) (local.get $a) (local.get $aI) (local.get $aP) (local.get $b) (local.get $bP)
              (local.get $n) (local.get $k) (local.get $i) (local.get $j))
            (call $entryAdd (local.get $c) (local.get $a) (local.get $aI) (local.get $aP) (local.get $b) (local.get $bP)
              (local.get $n) (local.get $k) (i32.add (local.get $i) (i32.const 1)) (local.get $j))
            (call $entryAdd (local.get $c) (local.get $a) (local.get $aI) (local.get $aP) (local.get $b) (local.get $bP)
              (local.get $n) (local.get $k) (i32.add (local.get $i) (i32.const 2)) (local.get $j))
            (call $entryAdd (local.get $c) (local.get $a) (local.get $aI) (local.get $aP) (local.get $b) (local.get $bP)
              (local.get $n) (local.get $k) (i32.add (local.get $i) (i32.const 3)) (local.get $j))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $edge)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))
    ;; the last m mod 4 rows
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $row
            (br_if $rowDone (i32.ge_u (local.get $j) (local.get $n)))
            (call $entryAdd (local.get $c) (local.get $a) (local.get $aI) (local.get $aP) (local.get $b) (local.get $bP)
              (local.get $n) (local.get $k) (local.get $i) (local.get $j))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; One entry C[i][j] of gemmAdd, scalar.
  (func $entryAdd
    (param $c i32) (param $a i32) (param $aI i32) (param $aP i32) (param $b i32) (param $bP i32)
    (param $n i32) (param $k i32) (param $i i32) (param $j i32)
    (local $pc i32) (local $pa i32) (local $pb i32) (local $acc f64)
    (local.set $pc (i32.add (local.get $c)
      (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
    (local.set $acc (f64.load (local.get $pc)))
    (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aI))))
    (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 3))))
    (block $done
      (loop $ks
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $acc (f64.add (local.get $acc) (f64.mul (f64.load (local.get $pa)) (f64.load (local.get $pb)))))
        (local.set $pa (i32.add (local.get $pa) (local.get $aP)))
        (local.set $pb (i32.add (local.get $pb) (local.get $bP)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $ks)))
    (f64.store (local.get $pc) (local.get $acc)))

  ;; dst (cols × rows) = srcᵀ, src row-major rows × cols: by 2 × 2 blocks when both are even,
  ;; else entry by entry.
  (func (export "transpose") (param $dst i32) (param $src i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $q i32) (local $ps i32) (local $pd i32) (local $rs i32) (local $cs i32)
    (local $r0 v128) (local $r1 v128)
    (local.set $rs (i32.shl (local.get $rows) (i32.const 3)))
    (local.set $cs (i32.shl (local.get $cols) (i32.const 3)))
    (if (i32.eqz (i32.and (i32.or (local.get $rows) (local.get $cols)) (i32.const 1)))
      (then
        (block $rDone
          (loop $rl
            (br_if $rDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $ps (i32.add (local.get $src) (i32.mul (local.get $r) (local.get $cs))))
            (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
            (local.set $q (i32.const 0))
            (block $qDone
              (loop $ql
                (br_if $qDone (i32.ge_u (local.get $q) (local.get $cols)))
                (local.set $r0 (v128.load (local.get $ps)))
                (local.set $r1 (v128.load (i32.add (local.get $ps) (local.get $cs))))
                (v128.store (local.get $pd)
                  (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $r0) (local.get $r1)))
                (v128.store (i32.add (local.get $pd) (local.get $rs))
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $r0) (local.get $r1)))
                (local.set $ps (i32.add (local.get $ps) (i32.const 16)))
                (local.set $pd (i32.add (local.get $pd) (i32.shl (local.get $rs) (i32.const 1))))
                (local.set $q (i32.add (local.get $q) (i32.const 2)))
                (br $ql)))
            (local.set $r (i32.add (local.get $r) (i32.const 2)))
            (br $rl)))
        (return)))
    (local.set $ps (local.get $src))
    (block $rDone
      (loop $rl
        (br_if $rDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 3))))
        (local.set $q (local.get $cols))
        (block $qDone
          (loop $ql
            (br_if $qDone (i32.eqz (local.get $q)))
            (f64.store (local.get $pd) (f64.load (local.get $ps)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 8)))
            (local.set $pd (i32.add (local.get $pd) (local.get $rs)))
            (local.set $q (i32.sub (local.get $q) (i32.const 1)))
            (br $ql)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl))))

  ;; splice: adam (the "adam" function of src/kernels/adam.wat, put here by scripts/assembleAnnKernels.mjs)

  ;; Elementwise passes of the reverse pass, each lane as the scalar code computes it.

  ;; d = scale·(a − y) over count·o entries; returns start + Σ_b (Σ_k (a − y)²)/o, added in order.
  (func (export "outputError") (param $d i32) (param $a i32) (param $y i32) (param $count i32) (param $o i32)
    (param $scale f64) (param $start f64) (result f64)
    (local $b i32) (local $q i32) (local $end i32) (local $diff f64) (local $s f64) (local $sum f64)
    (local.set $sum (local.get $start))
    (block $bDone
      (loop $bl
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $s (f64.const 0))
        (local.set $end (i32.add (local.get $q) (i32.shl (local.get $o) (i32.const 3))))
        (block $kDone
          (loop $kl
            (br_if $kDone (i32.ge_u (local.get $q) (local.get $end)))
            (local.set $diff (f64.sub (f64.load (i32.add (local.get $a) (local.get $q)))
              (f64.load (i32.add (local.get $y) (local.get $q)))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $diff) (local.get $diff))))
            (f64.store (i32.add (local.get $d) (local.get $q)) (f64.mul (local.get $scale) (local.get $diff)))
            (local.set $q (i32.add (local.get $q) (i32.const 8)))
            (br $kl)))
        (local.set $sum (f64.add (local.get $sum) (f64.div (local.get $s) (f64.convert_i32_u (local.get $o)))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bl)))
    (local.get $sum))

  ;; d = d·(a (1 − a)) over len entries (the sigmoid's slope given a = f(z)).
  (func (export "sigmoidSlope") (param $d i32) (param $a i32) (param $len i32)
    (local $o i32) (local $end i32) (local $av v128) (local $x f64)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $av (v128.load (i32.add (local.get $a) (local.get $o))))
        (v128.store (i32.add (local.get $d) (local.get $o))
          (f64x2.mul (v128.load (i32.add (local.get $d) (local.get $o)))
            (f64x2.mul (local.get $av) (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $av)))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (local.set $x (f64.load (i32.add (local.get $a) (local.get $o))))
        (f64.store (i32.add (local.get $d) (local.get $o))
          (f64.mul (f64.load (i32.add (local.get $d) (local.get $o)))
            (f64.mul (local.get $x) (f64.sub (f64.const 1) (local.get $x))))))))

  ;; out[j] += Σ_b rows[b·w + j] for b = 0..count-1 in order (a bias gradient).
  (func (export "addRows") (param $out i32) (param $rows i32) (param $count i32) (param $w i32)
    (local $b i32) (local $j i32) (local $pr i32) (local $end i32)
    (local.set $pr (local.get $rows))
    (local.set $end (i32.shl (i32.and (local.get $w) (i32.const -2)) (i32.const 3)))
    (block $bDone
      (loop $bl
        (br_if $bDone (i32.ge_u (local.get $b) (local.get $count)))
        (local.set $j (i32.const 0))
        (block $jDone
          (loop $jl
            (br_if $jDone (i32.ge_u (local.get $j) (local.get $end)))
            (v128.store (i32.add (local.get $out) (local.get $j))
              (f64x2.add (v128.load (i32.add (local.get $out) (local.get $j)))
                (v128.load (i32.add (local.get $pr) (local.get $j)))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $jl)))
        (if (i32.and (local.get $w) (i32.const 1))
          (then
            (f64.store (i32.add (local.get $out) (local.get $j))
              (f64.add (f64.load (i32.add (local.get $out) (local.get $j)))
                (f64.load (i32.add (local.get $pr) (local.get $j)))))))
        (local.set $pr (i32.add (local.get $pr) (i32.shl (local.get $w) (i32.const 3))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $bl))))

  ;; a = 1/(1 + e^(−z)) over len entries, e^x computed as V8's Math.exp computes it (fdlibm's
  ;; e_exp.c, as in V8's src/base/ieee754.cc), so the same bits as activate('sigmoid', z).
  ;; On the main path fdlibm's two reductions (|x| < 1.5 ln2 with k = ±1, and the general one)
  ;; are the same operations on the same values, so one f64x2 formula serves both.
  (func (export "sigmoid") (param $a i32) (param $z i32) (param $len i32)
    (local $o i32) (local $end i32) (local $endN i32)
    (local $x0 v128) (local $hx0 v128) (local $big0 v128) (local $k0 v128) (local $kf0 v128) (local $hi0 v128) (local $lo0 v128) (local $t0 v128) (local $c0 v128) (local $y0 v128)
    (local $x1 v128) (local $hx1 v128) (local $big1 v128) (local $k1 v128) (local $kf1 v128) (local $hi1 v128) (local $lo1 v128) (local $t1 v128) (local $c1 v128) (local $y1 v128)
    (local $x2 v128) (local $hx2 v128) (local $big2 v128) (local $k2 v128) (local $kf2 v128) (local $hi2 v128) (local $lo2 v128) (local $t2 v128) (local $c2 v128) (local $y2 v128)
    (local $x3 v128) (local $hx3 v128) (local $big3 v128) (local $k3 v128) (local $kf3 v128) (local $hi3 v128) (local $lo3 v128) (local $t3 v128) (local $c3 v128) (local $y3 v128)
    (local $x v128) (local $hx v128) (local $big v128) (local $k v128)
    (local $kf v128) (local $hi v128) (local $lo v128) (local $t v128) (local $c v128) (local $y v128)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -2)) (i32.const 3)))
    (local.set $endN (i32.shl (local.get $len) (i32.const 3)))
    ;; eights: four pairs whose operations interleave, each pair's the same as in the pair loop
    ;; below, when every lane is on the main path, else all eight lane by lane. Each pair is a chain
    ;; of about 30 dependent operations with two divisions; one chain at a time left the core
    ;; waiting on them (9.0 ns a value, 25 088 values: one batch of 32 of the 784-wide decoder),
    ;; four in step overlap (4.3 ns; two: 5.8, three: 5.3, five or six: 4.1)
    (block $doneN
      (loop $lN
        (br_if $doneN (i32.gt_u (i32.add (local.get $o) (i32.const 64)) (local.get $endN)))
        (local.set $x0 (f64x2.neg (v128.load (i32.add (local.get $z) (local.get $o)))))
        (local.set $x1 (f64x2.neg (v128.load offset=16 (i32.add (local.get $z) (local.get $o)))))
        (local.set $x2 (f64x2.neg (v128.load offset=32 (i32.add (local.get $z) (local.get $o)))))
        (local.set $x3 (f64x2.neg (v128.load offset=48 (i32.add (local.get $z) (local.get $o)))))
        (local.set $hx0 (v128.and (i64x2.shr_u (local.get $x0) (i32.const 32)) (i64x2.splat (i64.const 0x7fffffff))))
        (local.set $hx1 (v128.and (i64x2.shr_u (local.get $x1) (i32.const 32)) (i64x2.splat (i64.const 0x7fffffff))))
        (local.set $hx2 (v128.and (i64x2.shr_u (local.get $x2) (i32.const 32)) (i64x2.splat (i64.const 0x7fffffff))))
        (local.set $hx3 (v128.and (i64x2.shr_u (local.get $x3) (i32.const 32)) (i64x2.splat (i64.const 0x7fffffff))))
        (if (v128.any_true (v128.or (v128.or (v128.or (v128.or (v128.or
                (i64x2.lt_s (local.get $hx0) (i64x2.splat (i64.const 0x3e300000)))
                (i64x2.ge_s (local.get $hx0) (i64x2.splat (i64.const 0x40860000))))
                (f64x2.eq (local.get $x0) (f64x2.splat (f64.const 1)))) (v128.or (v128.or
                (i64x2.lt_s (local.get $hx1) (i64x2.splat (i64.const 0x3e300000)))
                (i64x2.ge_s (local.get $hx1) (i64x2.splat (i64.const 0x40860000))))
                (f64x2.eq (local.get $x1) (f64x2.splat (f64.const 1))))) (v128.or (v128.or
                (i64x2.lt_s (local.get $hx2) (i64x2.splat (i64.const 0x3e300000)))
                (i64x2.ge_s (local.get $hx2) (i64x2.splat (i64.const 0x40860000))))
                (f64x2.eq (local.get $x2) (f64x2.splat (f64.const 1))))) (v128.or (v128.or
                (i64x2.lt_s (local.get $hx3) (i64x2.splat (i64.const 0x3e300000)))
                (i64x2.ge_s (local.get $hx3) (i64x2.splat (i64.const 0x40860000))))
                (f64x2.eq (local.get $x3) (f64x2.splat (f64.const 1))))))
          (then
            (f64.store offset=0 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=0 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=8 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=8 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=16 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=16 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=24 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=24 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=32 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=32 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=40 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=40 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=48 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=48 (i32.add (local.get $z) (local.get $o))))))))
            (f64.store offset=56 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (f64.load offset=56 (i32.add (local.get $z) (local.get $o))))))))
          )
          (else
            (local.set $big0 (i64x2.gt_s (local.get $hx0) (i64x2.splat (i64.const 0x3fd62e42))))
            (local.set $big1 (i64x2.gt_s (local.get $hx1) (i64x2.splat (i64.const 0x3fd62e42))))
            (local.set $big2 (i64x2.gt_s (local.get $hx2) (i64x2.splat (i64.const 0x3fd62e42))))
            (local.set $big3 (i64x2.gt_s (local.get $hx3) (i64x2.splat (i64.const 0x3fd62e42))))
            (local.set $k0 (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
                (f64x2.mul (f64x2.splat (f64.const 1.44269504088896338700e+00)) (local.get $x0))
                (v128.bitselect (f64x2.splat (f64.const -0.5)) (f64x2.splat (f64.const 0.5))
                  (f64x2.lt (local.get $x0) (f64x2.splat (f64.const 0)))))))
            (local.set $k1 (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
                (f64x2.mul (f64x2.splat (f64.const 1.44269504088896338700e+00)) (local.get $x1))
                (v128.bitselect (f64x2.splat (f64.const -0.5)) (f64x2.splat (f64.const 0.5))
                  (f64x2.lt (local.get $x1) (f64x2.splat (f64.const 0)))))))
            (local.set $k2 (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
                (f64x2.mul (f64x2.splat (f64.const 1.44269504088896338700e+00)) (local.get $x2))
                (v128.bitselect (f64x2.splat (f64.const -0.5)) (f64x2.splat (f64.const 0.5))
                  (f64x2.lt (local.get $x2) (f64x2.splat (f64.const 0)))))))
            (local.set $k3 (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
                (f64x2.mul (f64x2.splat (f64.const 1.44269504088896338700e+00)) (local.get $x3))
                (v128.bitselect (f64x2.splat (f64.const -0.5)) (f64x2.splat (f64.const 0.5))
                  (f64x2.lt (local.get $x3) (f64x2.splat (f64.const 0)))))))
            (local.set $kf0 (v128.and (f64x2.convert_low_i32x4_s (local.get $k0)) (local.get $big0)))
            (local.set $kf1 (v128.and (f64x2.convert_low_i32x4_s (local.get $k1)) (local.get $big1)))
            (local.set $kf2 (v128.and (f64x2.convert_low_i32x4_s (local.get $k2)) (local.get $big2)))
            (local.set $kf3 (v128.and (f64x2.convert_low_i32x4_s (local.get $k3)) (local.get $big3)))
            (local.set $hi0 (f64x2.sub (local.get $x0) (f64x2.mul (local.get $kf0) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
            (local.set $hi1 (f64x2.sub (local.get $x1) (f64x2.mul (local.get $kf1) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
            (local.set $hi2 (f64x2.sub (local.get $x2) (f64x2.mul (local.get $kf2) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
            (local.set $hi3 (f64x2.sub (local.get $x3) (f64x2.mul (local.get $kf3) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
            (local.set $lo0 (f64x2.mul (local.get $kf0) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
            (local.set $lo1 (f64x2.mul (local.get $kf1) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
            (local.set $lo2 (f64x2.mul (local.get $kf2) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
            (local.set $lo3 (f64x2.mul (local.get $kf3) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
            (local.set $x0 (f64x2.sub (local.get $hi0) (local.get $lo0)))
            (local.set $x1 (f64x2.sub (local.get $hi1) (local.get $lo1)))
            (local.set $x2 (f64x2.sub (local.get $hi2) (local.get $lo2)))
            (local.set $x3 (f64x2.sub (local.get $hi3) (local.get $lo3)))
            (local.set $t0 (f64x2.mul (local.get $x0) (local.get $x0)))
            (local.set $t1 (f64x2.mul (local.get $x1) (local.get $x1)))
            (local.set $t2 (f64x2.mul (local.get $x2) (local.get $x2)))
            (local.set $t3 (f64x2.mul (local.get $x3) (local.get $x3)))
            (local.set $c0 (f64x2.sub (local.get $x0) (f64x2.mul (local.get $t0)
                (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01)) (f64x2.mul (local.get $t0)
                  (f64x2.add (f64x2.splat (f64.const -2.77777777770155933842e-03)) (f64x2.mul (local.get $t0)
                    (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05)) (f64x2.mul (local.get $t0)
                      (f64x2.add (f64x2.splat (f64.const -1.65339022054652515390e-06))
                        (f64x2.mul (local.get $t0) (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))))))
            (local.set $c1 (f64x2.sub (local.get $x1) (f64x2.mul (local.get $t1)
                (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01)) (f64x2.mul (local.get $t1)
                  (f64x2.add (f64x2.splat (f64.const -2.77777777770155933842e-03)) (f64x2.mul (local.get $t1)
                    (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05)) (f64x2.mul (local.get $t1)
                      (f64x2.add (f64x2.splat (f64.const -1.65339022054652515390e-06))
                        (f64x2.mul (local.get $t1) (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))))))
            (local.set $c2 (f64x2.sub (local.get $x2) (f64x2.mul (local.get $t2)
                (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01)) (f64x2.mul (local.get $t2)
                  (f64x2.add (f64x2.splat (f64.const -2.77777777770155933842e-03)) (f64x2.mul (local.get $t2)
                    (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05)) (f64x2.mul (local.get $t2)
                      (f64x2.add (f64x2.splat (f64.const -1.65339022054652515390e-06))
                        (f64x2.mul (local.get $t2) (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))))))
            (local.set $c3 (f64x2.sub (local.get $x3) (f64x2.mul (local.get $t3)
                (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01)) (f64x2.mul (local.get $t3)
                  (f64x2.add (f64x2.splat (f64.const -2.77777777770155933842e-03)) (f64x2.mul (local.get $t3)
                    (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05)) (f64x2.mul (local.get $t3)
                      (f64x2.add (f64x2.splat (f64.const -1.65339022054652515390e-06))
                        (f64x2.mul (local.get $t3) (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))))))
            (local.set $y0 (f64x2.sub (f64x2.splat (f64.const 1))
                (f64x2.sub (f64x2.sub (local.get $lo0)
                  (f64x2.div (f64x2.mul (local.get $x0) (local.get $c0)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c0))))
                  (local.get $hi0))))
            (local.set $y1 (f64x2.sub (f64x2.splat (f64.const 1))
                (f64x2.sub (f64x2.sub (local.get $lo1)
                  (f64x2.div (f64x2.mul (local.get $x1) (local.get $c1)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c1))))
                  (local.get $hi1))))
            (local.set $y2 (f64x2.sub (f64x2.splat (f64.const 1))
                (f64x2.sub (f64x2.sub (local.get $lo2)
                  (f64x2.div (f64x2.mul (local.get $x2) (local.get $c2)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c2))))
                  (local.get $hi2))))
            (local.set $y3 (f64x2.sub (f64x2.splat (f64.const 1))
                (f64x2.sub (f64x2.sub (local.get $lo3)
                  (f64x2.div (f64x2.mul (local.get $x3) (local.get $c3)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c3))))
                  (local.get $hi3))))
            (local.set $y0 (f64x2.mul (local.get $y0)
                (i64x2.shl (i64x2.add (v128.and (i64x2.extend_low_i32x4_s (local.get $k0)) (local.get $big0))
                  (i64x2.splat (i64.const 1023))) (i32.const 52))))
            (local.set $y1 (f64x2.mul (local.get $y1)
                (i64x2.shl (i64x2.add (v128.and (i64x2.extend_low_i32x4_s (local.get $k1)) (local.get $big1))
                  (i64x2.splat (i64.const 1023))) (i32.const 52))))
            (local.set $y2 (f64x2.mul (local.get $y2)
                (i64x2.shl (i64x2.add (v128.and (i64x2.extend_low_i32x4_s (local.get $k2)) (local.get $big2))
                  (i64x2.splat (i64.const 1023))) (i32.const 52))))
            (local.set $y3 (f64x2.mul (local.get $y3)
                (i64x2.shl (i64x2.add (v128.and (i64x2.extend_low_i32x4_s (local.get $k3)) (local.get $big3))
                  (i64x2.splat (i64.const 1023))) (i32.const 52))))
            (v128.store (i32.add (local.get $a) (local.get $o))
                (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $y0))))
            (v128.store offset=16 (i32.add (local.get $a) (local.get $o))
                (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $y1))))
            (v128.store offset=32 (i32.add (local.get $a) (local.get $o))
                (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $y2))))
            (v128.store offset=48 (i32.add (local.get $a) (local.get $o))
                (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $y3))))
          ))
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br $lN)))
    ;; pairs: both lanes on fdlibm's main path (2^-28 ≤ |x| < 704, x ≠ 1) in f64x2, else lane by lane
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $x (f64x2.neg (v128.load (i32.add (local.get $z) (local.get $o)))))
        (local.set $hx (v128.and (i64x2.shr_u (local.get $x) (i32.const 32)) (i64x2.splat (i64.const 0x7fffffff))))
        (if (v128.any_true (v128.or (v128.or
              (i64x2.lt_s (local.get $hx) (i64x2.splat (i64.const 0x3e300000)))
              (i64x2.ge_s (local.get $hx) (i64x2.splat (i64.const 0x40860000))))
              (f64x2.eq (local.get $x) (f64x2.splat (f64.const 1)))))
          (then
            (f64.store (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64x2.extract_lane 0 (local.get $x))))))
            (f64.store offset=8 (i32.add (local.get $a) (local.get $o))
              (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64x2.extract_lane 1 (local.get $x)))))))
          (else
            ;; k = (int)(invln2·x ± 0.5) where |x| > 0.5 ln2 (fdlibm's high-word test), else 0
            (local.set $big (i64x2.gt_s (local.get $hx) (i64x2.splat (i64.const 0x3fd62e42))))
            (local.set $k (i32x4.trunc_sat_f64x2_s_zero (f64x2.add
              (f64x2.mul (f64x2.splat (f64.const 1.44269504088896338700e+00)) (local.get $x))
              (v128.bitselect (f64x2.splat (f64.const -0.5)) (f64x2.splat (f64.const 0.5))
                (f64x2.lt (local.get $x) (f64x2.splat (f64.const 0)))))))
            (local.set $kf (v128.and (f64x2.convert_low_i32x4_s (local.get $k)) (local.get $big)))
            (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $kf) (f64x2.splat (f64.const 6.93147180369123816490e-01)))))
            (local.set $lo (f64x2.mul (local.get $kf) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
            (local.set $x (f64x2.sub (local.get $hi) (local.get $lo)))
            (local.set $t (f64x2.mul (local.get $x) (local.get $x)))
            (local.set $c (f64x2.sub (local.get $x) (f64x2.mul (local.get $t)
              (f64x2.add (f64x2.splat (f64.const 1.66666666666666019037e-01)) (f64x2.mul (local.get $t)
                (f64x2.add (f64x2.splat (f64.const -2.77777777770155933842e-03)) (f64x2.mul (local.get $t)
                  (f64x2.add (f64x2.splat (f64.const 6.61375632143793436117e-05)) (f64x2.mul (local.get $t)
                    (f64x2.add (f64x2.splat (f64.const -1.65339022054652515390e-06))
                      (f64x2.mul (local.get $t) (f64x2.splat (f64.const 4.13813679705723846039e-08)))))))))))))
            ;; y = 1 − ((lo − x c/(2 − c)) − hi), times 2^k (k = 0: hi = x, lo = 0, the same bits as fdlibm's k = 0 formula)
            (local.set $y (f64x2.sub (f64x2.splat (f64.const 1))
              (f64x2.sub (f64x2.sub (local.get $lo)
                (f64x2.div (f64x2.mul (local.get $x) (local.get $c)) (f64x2.sub (f64x2.splat (f64.const 2)) (local.get $c))))
                (local.get $hi))))
            (local.set $y (f64x2.mul (local.get $y)
              (i64x2.shl (i64x2.add (v128.and (i64x2.extend_low_i32x4_s (local.get $k)) (local.get $big))
                (i64x2.splat (i64.const 1023))) (i32.const 52))))
            (v128.store (i32.add (local.get $a) (local.get $o))
              (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $y))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $len) (i32.const 1))
      (then
        (f64.store (i32.add (local.get $a) (local.get $o))
          (f64.div (f64.const 1)
            (f64.add (f64.const 1) (call $exp (f64.neg (f64.load (i32.add (local.get $z) (local.get $o)))))))))))

  ;; <exp> (scripts/assembleKernels.mjs splices this function into src/kernels/alphaScan.wat)
  ;; fdlibm exp (FreeBSD msun e_exp.c with V8's exp(1) = E special case).
  (func $exp (param $x f64) (result f64)
    (local $hx i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64) (local $t f64)
    (local $c f64) (local $y f64) (local $twopk f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; non-finite, overflow and underflow
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862E42))
      (then
        (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000))
          (then
            (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
            (return (select (f64.const inf) (f64.const 0) (i32.eqz (local.get $xsb))))))
        (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02)) (then (return (f64.const inf))))
        (if (f64.lt (local.get $x) (f64.const -7.45133219101941108420e+02)) (then (return (f64.const 0))))))
    ;; argument reduction
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3FF0A2B2))
          (then
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 2.718281828459045))))
            (if (local.get $xsb)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const -1.90821492927058770002e-10))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const 1.90821492927058770002e-10))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_f64_s (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
              (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000))
          (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $twopk (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u
      (i32.add (i32.const 0x3ff00000)
        (i32.shl (select (local.get $k) (i32.add (local.get $k) (i32.const 1000))
          (i32.ge_s (local.get $k) (i32.const -1021))) (i32.const 20)))) (i64.const 32))))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 1.66666666666666019037e-01) (f64.mul (local.get $t)
        (f64.add (f64.const -2.77777777770155933842e-03) (f64.mul (local.get $t)
          (f64.add (f64.const 6.61375632143793436117e-05) (f64.mul (local.get $t)
            (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (if (i32.eqz (local.get $k))
      (then
        (return (f64.sub (f64.const 1)
          (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
        (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024))
          (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 8.98846567431158e307)))))
        (return (f64.mul (local.get $y) (local.get $twopk)))))
    (f64.mul (f64.mul (local.get $y) (local.get $twopk)) (f64.const 9.33263618503218878990e-302)))
  ;; </exp>
)
