;; The alpha layer's reverse pass (layerGradient.ts, `layerBackwardRangeScalar`) as a WebAssembly
;; SIMD (f64x2) kernel over one imported memory. Addresses are in bytes.
;;
;; For post neuron k that fired, over its causal inputs (sorted positions i < m_k, input j = index[i]):
;;
;;     G[k][j] += clipG(δ_k · clipD(e_i (t_i − B/A + W/K) / (A (1 + W))))
;;     Δ[j]    += δ_k · clipD(w_kj e_i (K (t_i − B/A) + W + 1) / (A (1 + W)))
;;
;; and for a silent neuron G[k][j] += −penaltyNoSpike for every j. Two inputs per f64x2 (lanes =
;; sorted positions i, i + 1), one scalar step for an odd m_k. Each lane does the scalar code's
;; operations in its order (no fused multiply-add; IEEE division), and clip(v) = pmin(pmax(v, −c), c)
;; with v first equals Math.min(Math.max(v, −c), c) for every v (NaN and ±0 included) when c is
;; positive, which layerGradient.ts guarantees. So the results are the scalar kernel's bit for bit
;; (test/kernels/layerGradientWasm.test.ts).
;;
;; Δ is accumulated in sorted order in the scratch $d (contiguous, so two lanes load and store
;; together): gathered from $din before and scattered back after — once for the whole call when all
;; neurons share one Δ ($rowStride = 0), per neuron when each has its own row ($rowStride = nIn·8).
;; Either way every Δ[j] receives its terms in neuron order, as in the scalar kernel.
;;
;; backwardRowsAll serves calls where every neuron that fired has every input causal (the H=32
;; output layer: all 42 inputs, always): it takes the inputs in their own order, so the weight,
;; gradient and error-term rows are read and written two at a time, with no gather or scatter,
;; four inputs per iteration while they last (unrolled: 1.04× training on 1 and 2 threads).
;;
;; Assembled by scripts/assembleKernels.mjs (npm package wabt) into layerGradientWasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; d[i] = din[index[i]] for i < m
  (func $gather (param $d i32) (param $din i32) (param $index i32) (param $m i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
        (f64.store
          (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))
          (f64.load (i32.add (local.get $din)
            (i32.shl (i32.load (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; din[index[i]] = d[i] for i < m
  (func $scatter (param $d i32) (param $din i32) (param $index i32) (param $m i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $m)))
        (f64.store
          (i32.add (local.get $din)
            (i32.shl (i32.load (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))
          (f64.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; row[j] += p for j < n
  (func $addToRow (param $row i32) (param $n i32) (param $p f64)
    (local $end i32) (local $vp v128)
    (local.set $vp (f64x2.splat (local.get $p)))
    (local.set $end (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.gt_u (i32.add (local.get $row) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $row) (f64x2.add (v128.load (local.get $row)) (local.get $vp)))
        (local.set $row (i32.add (local.get $row) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $row) (local.get $end))
      (then (f64.store (local.get $row) (f64.add (f64.load (local.get $row)) (local.get $p))))))

  ;; Rows [0, rows) of the layer's weights $w and gradient $g (row-major, nIn columns); sorted
  ;; inputs $time, $exp (f64) and $index (i32); per neuron $delta, $sumA, $sumB, $lambertW (f64)
  ;; and $causal (i32: m_k, or −1 for a silent neuron); $din the error terms Δ of the inputs (one
  ;; vector, or one row per neuron: see $rowStride); $d scratch for max m_k values. With $withDelta
  ;; 0 it computes the weight gradients alone ($din, $rowStride and $d are not used): for a caller
  ;; that wants a few inputs' error terms only (the first layer: its pulses') and adds them itself.
  (func (export "backwardRows")
    (param $w i32) (param $g i32) (param $time i32) (param $exp i32) (param $index i32)
    (param $delta i32) (param $sumA i32) (param $sumB i32) (param $lambertW i32) (param $causal i32)
    (param $din i32) (param $rowStride i32) (param $d i32)
    (param $rows i32) (param $nIn i32) (param $mMax i32)
    (param $K f64) (param $cd f64) (param $cg f64) (param $penalty f64) (param $withDelta i32)
    (local $k i32) (local $i i32) (local $m i32) (local $rowBytes i32) (local $wRow i32) (local $gRow i32)
    (local $dinRow i32) (local $j0 i32) (local $j1 i32) (local $pi i32) (local $pd i32)
    (local $dk f64) (local $a f64) (local $ba f64) (local $inv f64) (local $wk f64) (local $w1 f64)
    (local $lw f64) (local $tp f64) (local $e f64) (local $x f64) (local $gw f64)
    (local $vdk v128) (local $vba v128) (local $vinv v128) (local $vwk v128) (local $vw1 v128)
    (local $vK v128) (local $vcd v128) (local $vncd v128) (local $vcg v128) (local $vncg v128)
    (local $vtp v128) (local $ve v128) (local $vdiff v128) (local $vgw v128) (local $vwp v128)
    (local.set $rowBytes (i32.shl (local.get $nIn) (i32.const 3)))
    (local.set $vK (f64x2.splat (local.get $K)))
    (local.set $vcd (f64x2.splat (local.get $cd)))
    (local.set $vncd (f64x2.splat (f64.neg (local.get $cd))))
    (local.set $vcg (f64x2.splat (local.get $cg)))
    (local.set $vncg (f64x2.splat (f64.neg (local.get $cg))))
    (if (i32.and (i32.eqz (local.get $rowStride)) (local.get $withDelta))
      (then (call $gather (local.get $d) (local.get $din) (local.get $index) (local.get $mMax))))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $rows)))
        (local.set $wRow (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $gRow (i32.add (local.get $g) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $m (i32.load (i32.add (local.get $causal) (i32.shl (local.get $k) (i32.const 2)))))
        (if (i32.lt_s (local.get $m) (i32.const 0))
          (then
            ;; silent: −penalty on every incoming weight (nothing added when the penalty is 0)
            (if (f64.ne (local.get $penalty) (f64.const 0))
              (then (call $addToRow (local.get $gRow) (local.get $nIn) (local.get $penalty)))))
          (else
            (local.set $dinRow (i32.add (local.get $din) (i32.mul (local.get $k) (local.get $rowStride))))
            (if (i32.and (i32.ne (local.get $rowStride) (i32.const 0)) (local.get $withDelta))
              (then (call $gather (local.get $d) (local.get $dinRow) (local.get $index) (local.get $m))))
            (local.set $dk (f64.load (i32.add (local.get $delta) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $a (f64.load (i32.add (local.get $sumA) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $ba (f64.div (f64.load (i32.add (local.get $sumB) (i32.shl (local.get $k) (i32.const 3))))
              (local.get $a)))
            (local.set $lw (f64.load (i32.add (local.get $lambertW) (i32.shl (local.get $k) (i32.const 3)))))
            ;; alphaInverseSlope: 1 / max(A (1 + W), 1e-300)
            (local.set $inv (f64.div (f64.const 1)
              (f64.max (f64.mul (local.get $a) (f64.add (f64.const 1) (local.get $lw))) (f64.const 1e-300))))
            (local.set $wk (f64.div (local.get $lw) (local.get $K)))
            (local.set $w1 (f64.add (local.get $lw) (f64.const 1)))
            (local.set $vdk (f64x2.splat (local.get $dk)))
            (local.set $vba (f64x2.splat (local.get $ba)))
            (local.set $vinv (f64x2.splat (local.get $inv)))
            (local.set $vwk (f64x2.splat (local.get $wk)))
            (local.set $vw1 (f64x2.splat (local.get $w1)))
            (local.set $i (i32.const 0))
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.gt_s (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
                (local.set $pd (i32.shl (local.get $i) (i32.const 3)))
                (local.set $pi (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2))))
                (local.set $j0 (i32.shl (i32.load (local.get $pi)) (i32.const 3)))
                (local.set $j1 (i32.shl (i32.load offset=4 (local.get $pi)) (i32.const 3)))
                (local.set $vtp (v128.load (i32.add (local.get $time) (local.get $pd))))
                (local.set $ve (v128.load (i32.add (local.get $exp) (local.get $pd))))
                (local.set $vdiff (f64x2.sub (local.get $vtp) (local.get $vba)))
                ;; ∂t/∂w: e (tp − B/A + W/K) · inv, clipped, times δ, clipped
                (local.set $vgw (f64x2.mul (local.get $vdk)
                  (f64x2.pmin (f64x2.pmax
                    (f64x2.mul (f64x2.mul (local.get $ve) (f64x2.add (local.get $vdiff) (local.get $vwk)))
                      (local.get $vinv))
                    (local.get $vncd)) (local.get $vcd))))
                (local.set $vgw (f64x2.pmin (f64x2.pmax (local.get $vgw) (local.get $vncg)) (local.get $vcg)))
                (f64.store (i32.add (local.get $gRow) (local.get $j0))
                  (f64.add (f64.load (i32.add (local.get $gRow) (local.get $j0))) (f64x2.extract_lane 0 (local.get $vgw))))
                (f64.store (i32.add (local.get $gRow) (local.get $j1))
                  (f64.add (f64.load (i32.add (local.get $gRow) (local.get $j1))) (f64x2.extract_lane 1 (local.get $vgw))))
                ;; ∂t/∂tp: w e (K (tp − B/A) + W + 1) · inv, clipped, times δ
                (if (local.get $withDelta)
                  (then
                    (local.set $vwp (f64x2.replace_lane 1
                      (f64x2.splat (f64.load (i32.add (local.get $wRow) (local.get $j0))))
                      (f64.load (i32.add (local.get $wRow) (local.get $j1)))))
                    (v128.store (i32.add (local.get $d) (local.get $pd))
                      (f64x2.add (v128.load (i32.add (local.get $d) (local.get $pd)))
                        (f64x2.mul (local.get $vdk)
                          (f64x2.pmin (f64x2.pmax
                            (f64x2.mul
                              (f64x2.mul (f64x2.mul (local.get $vwp) (local.get $ve))
                                (f64x2.add (f64x2.mul (local.get $vK) (local.get $vdiff)) (local.get $vw1)))
                              (local.get $vinv))
                            (local.get $vncd)) (local.get $vcd)))))))
                (local.set $i (i32.add (local.get $i) (i32.const 2)))
                (br $pair)))
            (if (i32.lt_s (local.get $i) (local.get $m))
              (then
                ;; the last input of an odd count: the same operations on one lane
                (local.set $pd (i32.shl (local.get $i) (i32.const 3)))
                (local.set $j0 (i32.shl (i32.load (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2))))
                  (i32.const 3)))
                (local.set $tp (f64.load (i32.add (local.get $time) (local.get $pd))))
                (local.set $e (f64.load (i32.add (local.get $exp) (local.get $pd))))
                (local.set $x (f64.sub (local.get $tp) (local.get $ba)))
                (local.set $gw (f64.mul (local.get $dk)
                  (f64.min (f64.max
                    (f64.mul (f64.mul (local.get $e) (f64.add (local.get $x) (local.get $wk))) (local.get $inv))
                    (f64.neg (local.get $cd))) (local.get $cd))))
                (local.set $gw (f64.min (f64.max (local.get $gw) (f64.neg (local.get $cg))) (local.get $cg)))
                (f64.store (i32.add (local.get $gRow) (local.get $j0))
                  (f64.add (f64.load (i32.add (local.get $gRow) (local.get $j0))) (local.get $gw)))
                (if (local.get $withDelta)
                  (then
                    (f64.store (i32.add (local.get $d) (local.get $pd))
                      (f64.add (f64.load (i32.add (local.get $d) (local.get $pd)))
                        (f64.mul (local.get $dk)
                          (f64.min (f64.max
                            (f64.mul
                              (f64.mul (f64.mul (f64.load (i32.add (local.get $wRow) (local.get $j0))) (local.get $e))
                                (f64.add (f64.mul (local.get $K) (local.get $x)) (local.get $w1)))
                              (local.get $inv))
                            (f64.neg (local.get $cd))) (local.get $cd)))))))))
            (if (i32.and (i32.ne (local.get $rowStride) (i32.const 0)) (local.get $withDelta))
              (then (call $scatter (local.get $d) (local.get $dinRow) (local.get $index) (local.get $m))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $row)))
    (if (i32.and (i32.eqz (local.get $rowStride)) (local.get $withDelta))
      (then (call $scatter (local.get $d) (local.get $din) (local.get $index) (local.get $mMax)))))
  ;; Rows [0, rows) as backwardRows, when every input of every neuron that fired is causal
  ;; (m_k = nIn): inputs in their own order j, so the weight, gradient and error-term rows are read
  ;; and written two at a time (no gather or scatter); $time and $exp hold the inputs' t_j and
  ;; e^(K t_j) in that order. Each G[k][j] and Δ[j] receives the same terms in the same order as in
  ;; backwardRows (no sum runs across inputs), so the results are the same bit for bit. A neuron
  ;; with $causal ≥ 0 is taken to have m_k = nIn (the caller checks).
  ;;
  ;; Neuron k's error terms go to row $dst + k·$dstStride, each the sum of row $src + k·$srcStride
  ;; and the neuron's term: with $src = $dst = Δ and both strides 0, Δ[j] += term as in
  ;; backwardRows; with $src a row of −0 (stride 0; −0 + x = x for every x, ±0 included) and $dst
  ;; a matrix (stride nIn·8), row k keeps neuron k's terms as they are, for addRows to add to Δ
  ;; later, in the same order (a tail participant of parallel training runs its reverse pass before
  ;; the participant before it has handed Δ on).
  (func (export "backwardRowsAll")
    (param $w i32) (param $g i32) (param $time i32) (param $exp i32)
    (param $delta i32) (param $sumA i32) (param $sumB i32) (param $lambertW i32) (param $causal i32)
    (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32)
    (param $rows i32) (param $nIn i32)
    (param $K f64) (param $cd f64) (param $cg f64) (param $penalty f64)
    (local $k i32) (local $pd i32) (local $rowBytes i32) (local $pairBytes i32) (local $quadBytes i32) (local $wRow i32) (local $gRow i32)
    (local $srcRow i32) (local $dstRow i32)
    (local $dk f64) (local $a f64) (local $ba f64) (local $inv f64) (local $wk f64) (local $w1 f64)
    (local $lw f64) (local $tp f64) (local $e f64) (local $x f64) (local $gw f64)
    (local $vdk v128) (local $vba v128) (local $vinv v128) (local $vwk v128) (local $vw1 v128)
    (local $vK v128) (local $vcd v128) (local $vncd v128) (local $vcg v128) (local $vncg v128)
    (local $ve v128) (local $vdiff v128) (local $vgw v128)
    (local.set $rowBytes (i32.shl (local.get $nIn) (i32.const 3)))
    (local.set $pairBytes (i32.shl (i32.shr_u (local.get $nIn) (i32.const 1)) (i32.const 4)))
    (local.set $quadBytes (i32.shl (i32.shr_u (local.get $nIn) (i32.const 2)) (i32.const 5)))
    (local.set $vK (f64x2.splat (local.get $K)))
    (local.set $vcd (f64x2.splat (local.get $cd)))
    (local.set $vncd (f64x2.splat (f64.neg (local.get $cd))))
    (local.set $vcg (f64x2.splat (local.get $cg)))
    (local.set $vncg (f64x2.splat (f64.neg (local.get $cg))))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $rows)))
        (local.set $wRow (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $rowBytes))))
        (local.set $gRow (i32.add (local.get $g) (i32.mul (local.get $k) (local.get $rowBytes))))
        (if (i32.lt_s (i32.load (i32.add (local.get $causal) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 0))
          (then
            (if (f64.ne (local.get $penalty) (f64.const 0))
              (then (call $addToRow (local.get $gRow) (local.get $nIn) (local.get $penalty)))))
          (else
            (local.set $srcRow (i32.add (local.get $src) (i32.mul (local.get $k) (local.get $srcStride))))
            (local.set $dstRow (i32.add (local.get $dst) (i32.mul (local.get $k) (local.get $dstStride))))
            (local.set $dk (f64.load (i32.add (local.get $delta) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $a (f64.load (i32.add (local.get $sumA) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $ba (f64.div (f64.load (i32.add (local.get $sumB) (i32.shl (local.get $k) (i32.const 3))))
              (local.get $a)))
            (local.set $lw (f64.load (i32.add (local.get $lambertW) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $inv (f64.div (f64.const 1)
              (f64.max (f64.mul (local.get $a) (f64.add (f64.const 1) (local.get $lw))) (f64.const 1e-300))))
            (local.set $wk (f64.div (local.get $lw) (local.get $K)))
            (local.set $w1 (f64.add (local.get $lw) (f64.const 1)))
            (local.set $vdk (f64x2.splat (local.get $dk)))
            (local.set $vba (f64x2.splat (local.get $ba)))
            (local.set $vinv (f64x2.splat (local.get $inv)))
            (local.set $vwk (f64x2.splat (local.get $wk)))
            (local.set $vw1 (f64x2.splat (local.get $w1)))
            (local.set $pd (i32.const 0))
            ;; four inputs (two pairs) per iteration while they last, then pairs
            (block $quadsDone
              (loop $quad
                (br_if $quadsDone (i32.ge_u (local.get $pd) (local.get $quadBytes)))
                (local.set $ve (v128.load (i32.add (local.get $exp) (local.get $pd))))
                (local.set $vdiff (f64x2.sub (v128.load (i32.add (local.get $time) (local.get $pd))) (local.get $vba)))
                (local.set $vgw (f64x2.mul (local.get $vdk)
                  (f64x2.pmin (f64x2.pmax
                    (f64x2.mul (f64x2.mul (local.get $ve) (f64x2.add (local.get $vdiff) (local.get $vwk)))
                      (local.get $vinv))
                    (local.get $vncd)) (local.get $vcd))))
                (local.set $vgw (f64x2.pmin (f64x2.pmax (local.get $vgw) (local.get $vncg)) (local.get $vcg)))
                (v128.store (i32.add (local.get $gRow) (local.get $pd))
                  (f64x2.add (v128.load (i32.add (local.get $gRow) (local.get $pd))) (local.get $vgw)))
                (v128.store (i32.add (local.get $dstRow) (local.get $pd))
                  (f64x2.add (v128.load (i32.add (local.get $srcRow) (local.get $pd)))
                    (f64x2.mul (local.get $vdk)
                      (f64x2.pmin (f64x2.pmax
                        (f64x2.mul
                          (f64x2.mul (f64x2.mul (v128.load (i32.add (local.get $wRow) (local.get $pd))) (local.get $ve))
                            (f64x2.add (f64x2.mul (local.get $vK) (local.get $vdiff)) (local.get $vw1)))
                          (local.get $vinv))
                        (local.get $vncd)) (local.get $vcd)))))
                (local.set $ve (v128.load offset=16 (i32.add (local.get $exp) (local.get $pd))))
                (local.set $vdiff (f64x2.sub (v128.load offset=16 (i32.add (local.get $time) (local.get $pd))) (local.get $vba)))
                (local.set $vgw (f64x2.mul (local.get $vdk)
                  (f64x2.pmin (f64x2.pmax
                    (f64x2.mul (f64x2.mul (local.get $ve) (f64x2.add (local.get $vdiff) (local.get $vwk)))
                      (local.get $vinv))
                    (local.get $vncd)) (local.get $vcd))))
                (local.set $vgw (f64x2.pmin (f64x2.pmax (local.get $vgw) (local.get $vncg)) (local.get $vcg)))
                (v128.store offset=16 (i32.add (local.get $gRow) (local.get $pd))
                  (f64x2.add (v128.load offset=16 (i32.add (local.get $gRow) (local.get $pd))) (local.get $vgw)))
                (v128.store offset=16 (i32.add (local.get $dstRow) (local.get $pd))
                  (f64x2.add (v128.load offset=16 (i32.add (local.get $srcRow) (local.get $pd)))
                    (f64x2.mul (local.get $vdk)
                      (f64x2.pmin (f64x2.pmax
                        (f64x2.mul
                          (f64x2.mul (f64x2.mul (v128.load offset=16 (i32.add (local.get $wRow) (local.get $pd))) (local.get $ve))
                            (f64x2.add (f64x2.mul (local.get $vK) (local.get $vdiff)) (local.get $vw1)))
                          (local.get $vinv))
                        (local.get $vncd)) (local.get $vcd)))))
                (local.set $pd (i32.add (local.get $pd) (i32.const 32)))
                (br $quad)))
            (block $pairsDone
              (loop $pair
                (br_if $pairsDone (i32.ge_u (local.get $pd) (local.get $pairBytes)))
                (local.set $ve (v128.load (i32.add (local.get $exp) (local.get $pd))))
                (local.set $vdiff (f64x2.sub (v128.load (i32.add (local.get $time) (local.get $pd))) (local.get $vba)))
                (local.set $vgw (f64x2.mul (local.get $vdk)
                  (f64x2.pmin (f64x2.pmax
                    (f64x2.mul (f64x2.mul (local.get $ve) (f64x2.add (local.get $vdiff) (local.get $vwk)))
                      (local.get $vinv))
                    (local.get $vncd)) (local.get $vcd))))
                (local.set $vgw (f64x2.pmin (f64x2.pmax (local.get $vgw) (local.get $vncg)) (local.get $vcg)))
                (v128.store (i32.add (local.get $gRow) (local.get $pd))
                  (f64x2.add (v128.load (i32.add (local.get $gRow) (local.get $pd))) (local.get $vgw)))
                (v128.store (i32.add (local.get $dstRow) (local.get $pd))
                  (f64x2.add (v128.load (i32.add (local.get $srcRow) (local.get $pd)))
                    (f64x2.mul (local.get $vdk)
                      (f64x2.pmin (f64x2.pmax
                        (f64x2.mul
                          (f64x2.mul (f64x2.mul (v128.load (i32.add (local.get $wRow) (local.get $pd))) (local.get $ve))
                            (f64x2.add (f64x2.mul (local.get $vK) (local.get $vdiff)) (local.get $vw1)))
                          (local.get $vinv))
                        (local.get $vncd)) (local.get $vcd)))))
                (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
                (br $pair)))
            (if (i32.and (local.get $nIn) (i32.const 1))
              (then
                ;; the last input of an odd count: the same operations on one lane
                (local.set $tp (f64.load (i32.add (local.get $time) (local.get $pd))))
                (local.set $e (f64.load (i32.add (local.get $exp) (local.get $pd))))
                (local.set $x (f64.sub (local.get $tp) (local.get $ba)))
                (local.set $gw (f64.mul (local.get $dk)
                  (f64.min (f64.max
                    (f64.mul (f64.mul (local.get $e) (f64.add (local.get $x) (local.get $wk))) (local.get $inv))
                    (f64.neg (local.get $cd))) (local.get $cd))))
                (local.set $gw (f64.min (f64.max (local.get $gw) (f64.neg (local.get $cg))) (local.get $cg)))
                (f64.store (i32.add (local.get $gRow) (local.get $pd))
                  (f64.add (f64.load (i32.add (local.get $gRow) (local.get $pd))) (local.get $gw)))
                (f64.store (i32.add (local.get $dstRow) (local.get $pd))
                  (f64.add (f64.load (i32.add (local.get $srcRow) (local.get $pd)))
                    (f64.mul (local.get $dk)
                      (f64.min (f64.max
                        (f64.mul
                          (f64.mul (f64.mul (f64.load (i32.add (local.get $wRow) (local.get $pd))) (local.get $e))
                            (f64.add (f64.mul (local.get $K) (local.get $x)) (local.get $w1)))
                          (local.get $inv))
                        (f64.neg (local.get $cd))) (local.get $cd)))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $row))))

  ;; Δ[j] += rows[k][j] for k < rows in order, skipping k with $causal[k] < 0 (a silent neuron has
  ;; no terms), for every j < nIn: the terms that backwardRowsAll kept in a matrix (row stride
  ;; nIn·8), added in the order that backwardRowsAll would have added them. Four pairs of inputs
  ;; per sweep over the rows while they last (the running sums stay in registers), then pairs, then
  ;; the last input of an odd count.
  (func (export "addRows") (param $din i32) (param $cont i32) (param $causal i32) (param $rows i32) (param $nIn i32)
    (local $k i32) (local $pd i32) (local $row i32) (local $rowBytes i32) (local $pairBytes i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $x f64)
    (local.set $rowBytes (i32.shl (local.get $nIn) (i32.const 3)))
    (local.set $pairBytes (i32.shl (i32.shr_u (local.get $nIn) (i32.const 1)) (i32.const 4)))
    (block $quadsDone
      (loop $quad
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $pd) (i32.const 64)) (local.get $pairBytes)))
        (local.set $a0 (v128.load (i32.add (local.get $din) (local.get $pd))))
        (local.set $a1 (v128.load offset=16 (i32.add (local.get $din) (local.get $pd))))
        (local.set $a2 (v128.load offset=32 (i32.add (local.get $din) (local.get $pd))))
        (local.set $a3 (v128.load offset=48 (i32.add (local.get $din) (local.get $pd))))
        (local.set $row (i32.add (local.get $cont) (local.get $pd)))
        (local.set $k (i32.const 0))
        (block $rowsDone
          (loop $next
            (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $rows)))
            (if (i32.ge_s (i32.load (i32.add (local.get $causal) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 0))
              (then
                (local.set $a0 (f64x2.add (local.get $a0) (v128.load (local.get $row))))
                (local.set $a1 (f64x2.add (local.get $a1) (v128.load offset=16 (local.get $row))))
                (local.set $a2 (f64x2.add (local.get $a2) (v128.load offset=32 (local.get $row))))
                (local.set $a3 (f64x2.add (local.get $a3) (v128.load offset=48 (local.get $row))))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $next)))
        (v128.store (i32.add (local.get $din) (local.get $pd)) (local.get $a0))
        (v128.store offset=16 (i32.add (local.get $din) (local.get $pd)) (local.get $a1))
        (v128.store offset=32 (i32.add (local.get $din) (local.get $pd)) (local.get $a2))
        (v128.store offset=48 (i32.add (local.get $din) (local.get $pd)) (local.get $a3))
        (local.set $pd (i32.add (local.get $pd) (i32.const 64)))
        (br $quad)))
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.ge_u (local.get $pd) (local.get $pairBytes)))
        (local.set $a0 (v128.load (i32.add (local.get $din) (local.get $pd))))
        (local.set $row (i32.add (local.get $cont) (local.get $pd)))
        (local.set $k (i32.const 0))
        (block $rowsDone
          (loop $next
            (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $rows)))
            (if (i32.ge_s (i32.load (i32.add (local.get $causal) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 0))
              (then (local.set $a0 (f64x2.add (local.get $a0) (v128.load (local.get $row))))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $next)))
        (v128.store (i32.add (local.get $din) (local.get $pd)) (local.get $a0))
        (local.set $pd (i32.add (local.get $pd) (i32.const 16)))
        (br $pair)))
    (if (i32.and (local.get $nIn) (i32.const 1))
      (then
        (local.set $x (f64.load (i32.add (local.get $din) (local.get $pd))))
        (local.set $row (i32.add (local.get $cont) (local.get $pd)))
        (local.set $k (i32.const 0))
        (block $rowsDone
          (loop $next
            (br_if $rowsDone (i32.ge_s (local.get $k) (local.get $rows)))
            (if (i32.ge_s (i32.load (i32.add (local.get $causal) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 0))
              (then (local.set $x (f64.add (local.get $x) (f64.load (local.get $row))))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $next)))
        (f64.store (i32.add (local.get $din) (local.get $pd)) (local.get $x)))))
)
