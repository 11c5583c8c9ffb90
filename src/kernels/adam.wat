;; Adam (src/train/adam.ts, adamUpdateRange) as a WebAssembly SIMD (f64x2) kernel over f64 arrays
;; in one imported shared memory, and the zeroing of a gradient there. Addresses are in bytes and
;; 8-aligned (16-aligned is faster).
;;
;; Each f64x2 lane does adamUpdateRange's operations in its order (multiply, then add; no fused
;; multiply-add; IEEE division and square root; f64x2.max and Math.max agree on NaN and on ±0 for
;; the floors used, −MAX_VALUE and +0), so the results are adamUpdateRange's bit for bit
;; (test/kernels/adamResident.test.ts, test/baseline/denseKernels.test.ts). Instantiated on the
;; spiking kernels' memory (src/kernels/adamResident.ts) and on the ANN baseline's workspace
;; (src/baseline/denseKernels.ts).
;;
;; Assembled by scripts/assembleKernels.mjs (npm package wabt) into adamWasm.ts.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; <adam> (scripts/assembleAnnKernels.mjs splices this function into the ANN kernels)
  ;; Adam over count parameters, as adamUpdateRange (src/train/adam.ts) computes it per entry:
  ;;   g = grad·invN;  m = β1 m + c1 g;  v = β2 v + (c2 g) g;
  ;;   θ = max(θ − (lr (m·invBc1)) / sqrt(v·invBc2 + ε), floor)
  ;; With $check ≠ 0 it returns the sum of θ·0 + m·0 + v·0 over the entries it wrote: ±0 when they
  ;; are all finite, NaN otherwise (the training loop's divergence check, with no second pass over
  ;; memory); with $check = 0 it returns 0 and skips that work.
  (func (export "adam")
    (param $theta i32) (param $grad i32) (param $mm i32) (param $vv i32) (param $count i32)
    (param $invN f64) (param $invBc1 f64) (param $invBc2 f64) (param $lr f64)
    (param $beta1 f64) (param $beta2 f64) (param $c1 f64) (param $c2 f64) (param $eps f64) (param $floor f64)
    (param $check i32)
    (result f64)
    (local $o i32) (local $end i32) (local $end4 i32)
    (local $g v128) (local $mi v128) (local $vi v128) (local $th v128) (local $acc v128) (local $zero v128)
    (local $sth f64) (local $sacc f64)
    (local $vInvN v128) (local $vBc1 v128) (local $vBc2 v128) (local $vLr v128)
    (local $vB1 v128) (local $vB2 v128) (local $vC1 v128) (local $vC2 v128) (local $vEps v128) (local $vFloor v128)
    (local $sg f64) (local $sm f64) (local $sv f64)
    (local.set $vInvN (f64x2.splat (local.get $invN)))
    (local.set $vBc1 (f64x2.splat (local.get $invBc1)))
    (local.set $vBc2 (f64x2.splat (local.get $invBc2)))
    (local.set $vLr (f64x2.splat (local.get $lr)))
    (local.set $vB1 (f64x2.splat (local.get $beta1)))
    (local.set $vB2 (f64x2.splat (local.get $beta2)))
    (local.set $vC1 (f64x2.splat (local.get $c1)))
    (local.set $vC2 (f64x2.splat (local.get $c2)))
    (local.set $vEps (f64x2.splat (local.get $eps)))
    (local.set $vFloor (f64x2.splat (local.get $floor)))
    (local.set $end (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3)))
    ;; four parameters (two f64x2) per iteration while they last, the same operations on each pair
    ;; in the same order as the loop below (which takes what is left): unrolled, Adam ran at 2.8 ns
    ;; per parameter instead of 3.1 (3.35 instead of 3.95 with $check; Node 20, this machine)
    (local.set $end4 (i32.shl (i32.and (local.get $count) (i32.const -4)) (i32.const 3)))
    (block $done4
      (loop $l4
        (br_if $done4 (i32.ge_u (local.get $o) (local.get $end4)))
        (local.set $g (f64x2.mul (v128.load (i32.add (local.get $grad) (local.get $o))) (local.get $vInvN)))
        (local.set $mi (f64x2.add
          (f64x2.mul (local.get $vB1) (v128.load (i32.add (local.get $mm) (local.get $o))))
          (f64x2.mul (local.get $vC1) (local.get $g))))
        (local.set $vi (f64x2.add
          (f64x2.mul (local.get $vB2) (v128.load (i32.add (local.get $vv) (local.get $o))))
          (f64x2.mul (f64x2.mul (local.get $vC2) (local.get $g)) (local.get $g))))
        (v128.store (i32.add (local.get $mm) (local.get $o)) (local.get $mi))
        (v128.store (i32.add (local.get $vv) (local.get $o)) (local.get $vi))
        (local.set $th
          (f64x2.max
            (f64x2.sub (v128.load (i32.add (local.get $theta) (local.get $o)))
              (f64x2.div (f64x2.mul (local.get $vLr) (f64x2.mul (local.get $mi) (local.get $vBc1)))
                (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $vi) (local.get $vBc2)) (local.get $vEps)))))
            (local.get $vFloor)))
        (v128.store (i32.add (local.get $theta) (local.get $o)) (local.get $th))
        (if (local.get $check)
          (then
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.add (f64x2.add (f64x2.mul (local.get $th) (local.get $zero)) (f64x2.mul (local.get $mi) (local.get $zero)))
                (f64x2.mul (local.get $vi) (local.get $zero)))))))
        (local.set $g (f64x2.mul (v128.load offset=16 (i32.add (local.get $grad) (local.get $o))) (local.get $vInvN)))
        (local.set $mi (f64x2.add
          (f64x2.mul (local.get $vB1) (v128.load offset=16 (i32.add (local.get $mm) (local.get $o))))
          (f64x2.mul (local.get $vC1) (local.get $g))))
        (local.set $vi (f64x2.add
          (f64x2.mul (local.get $vB2) (v128.load offset=16 (i32.add (local.get $vv) (local.get $o))))
          (f64x2.mul (f64x2.mul (local.get $vC2) (local.get $g)) (local.get $g))))
        (v128.store offset=16 (i32.add (local.get $mm) (local.get $o)) (local.get $mi))
        (v128.store offset=16 (i32.add (local.get $vv) (local.get $o)) (local.get $vi))
        (local.set $th
          (f64x2.max
            (f64x2.sub (v128.load offset=16 (i32.add (local.get $theta) (local.get $o)))
              (f64x2.div (f64x2.mul (local.get $vLr) (f64x2.mul (local.get $mi) (local.get $vBc1)))
                (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $vi) (local.get $vBc2)) (local.get $vEps)))))
            (local.get $vFloor)))
        (v128.store offset=16 (i32.add (local.get $theta) (local.get $o)) (local.get $th))
        (if (local.get $check)
          (then
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.add (f64x2.add (f64x2.mul (local.get $th) (local.get $zero)) (f64x2.mul (local.get $mi) (local.get $zero)))
                (f64x2.mul (local.get $vi) (local.get $zero)))))))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (br $l4)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $g (f64x2.mul (v128.load (i32.add (local.get $grad) (local.get $o))) (local.get $vInvN)))
        (local.set $mi (f64x2.add
          (f64x2.mul (local.get $vB1) (v128.load (i32.add (local.get $mm) (local.get $o))))
          (f64x2.mul (local.get $vC1) (local.get $g))))
        (local.set $vi (f64x2.add
          (f64x2.mul (local.get $vB2) (v128.load (i32.add (local.get $vv) (local.get $o))))
          (f64x2.mul (f64x2.mul (local.get $vC2) (local.get $g)) (local.get $g))))
        (v128.store (i32.add (local.get $mm) (local.get $o)) (local.get $mi))
        (v128.store (i32.add (local.get $vv) (local.get $o)) (local.get $vi))
        (local.set $th
          (f64x2.max
            (f64x2.sub (v128.load (i32.add (local.get $theta) (local.get $o)))
              (f64x2.div (f64x2.mul (local.get $vLr) (f64x2.mul (local.get $mi) (local.get $vBc1)))
                (f64x2.sqrt (f64x2.add (f64x2.mul (local.get $vi) (local.get $vBc2)) (local.get $vEps)))))
            (local.get $vFloor)))
        (v128.store (i32.add (local.get $theta) (local.get $o)) (local.get $th))
        (if (local.get $check)
          (then
            (local.set $acc (f64x2.add (local.get $acc)
              (f64x2.add (f64x2.add (f64x2.mul (local.get $th) (local.get $zero)) (f64x2.mul (local.get $mi) (local.get $zero)))
                (f64x2.mul (local.get $vi) (local.get $zero)))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $l)))
    ;; an odd last parameter
    (if (i32.and (local.get $count) (i32.const 1))
      (then
        (local.set $sg (f64.mul (f64.load (i32.add (local.get $grad) (local.get $o))) (local.get $invN)))
        (local.set $sm (f64.add (f64.mul (local.get $beta1) (f64.load (i32.add (local.get $mm) (local.get $o))))
          (f64.mul (local.get $c1) (local.get $sg))))
        (local.set $sv (f64.add (f64.mul (local.get $beta2) (f64.load (i32.add (local.get $vv) (local.get $o))))
          (f64.mul (f64.mul (local.get $c2) (local.get $sg)) (local.get $sg))))
        (f64.store (i32.add (local.get $mm) (local.get $o)) (local.get $sm))
        (f64.store (i32.add (local.get $vv) (local.get $o)) (local.get $sv))
        (local.set $sth
          (f64.max
            (f64.sub (f64.load (i32.add (local.get $theta) (local.get $o)))
              (f64.div (f64.mul (local.get $lr) (f64.mul (local.get $sm) (local.get $invBc1)))
                (f64.sqrt (f64.add (f64.mul (local.get $sv) (local.get $invBc2)) (local.get $eps)))))
            (local.get $floor)))
        (f64.store (i32.add (local.get $theta) (local.get $o)) (local.get $sth))
        (local.set $sacc (f64.add (f64.add (f64.mul (local.get $sth) (f64.const 0)) (f64.mul (local.get $sm) (f64.const 0)))
          (f64.mul (local.get $sv) (f64.const 0))))))
    (f64.add (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))) (local.get $sacc)))
  ;; </adam>

  ;; bytes bytes from addr set to 0
  (func (export "zero") (param $addr i32) (param $bytes i32)
    (memory.fill (local.get $addr) (i32.const 0) (local.get $bytes))))
