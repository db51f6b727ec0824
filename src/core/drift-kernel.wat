;; The drift check's counting loop (see drift.ts, DriftAccumulator.add): bins every finite value of a batch by
;; its feature's training quantiles and counts it. `npm run gen:wasm` compiles this file into drift-kernel-wasm.ts.
;;
;; Fixed by drift.ts (a unit test checks the counts against a plain binary search): 200 features per row (a row
;; is 800 bytes of f32), 13 interior edges (f64, 104 bytes per feature), 14 bins (u32 counts, 56 bytes per
;; feature), 1024 grid cells per feature (u8: the bin at the cell's start, 0x80 when an edge lies in or next to
;; the cell). The tables' addresses are arguments.
(module
  (memory (export "memory") 1)

  ;; Counts the finite values of $count rows of row-major f32 features at $features.
  ;; $edges: f64[200 * 13]; $lo, $scale: f64[200] (the grid's start and cells per unit); $grid: u8[200 * 1024];
  ;; $counts: u32[200 * 14].
  (func (export "add")
    (param $features i32) (param $count i32) (param $edges i32) (param $lo i32) (param $scale i32)
    (param $grid i32) (param $counts i32)
    (local $j i32) (local $at i32) (local $end i32) (local $x f64) (local $start f64) (local $cellsPerUnit f64)
    (local $t f64) (local $cell i32) (local $bin i32) (local $cells i32) (local $base i32) (local $out i32)
    (local.set $end (i32.add (local.get $features) (i32.mul (local.get $count) (i32.const 800))))
    ;; Feature by feature: one feature's grid and counts stay in the cache while its column is read.
    (block $featuresDone
      (loop $feature
        (br_if $featuresDone (i32.ge_u (local.get $j) (i32.const 200)))
        (local.set $start (f64.load (i32.add (local.get $lo) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $cellsPerUnit (f64.load (i32.add (local.get $scale) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $cells (i32.add (local.get $grid) (i32.shl (local.get $j) (i32.const 10))))
        (local.set $base (i32.add (local.get $edges) (i32.mul (local.get $j) (i32.const 104))))
        (local.set $out (i32.add (local.get $counts) (i32.mul (local.get $j) (i32.const 56))))
        (local.set $at (i32.add (local.get $features) (i32.shl (local.get $j) (i32.const 2))))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $x (f64.promote_f32 (f32.load (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 800)))
            ;; x - x is NaN for NaN and +-Infinity: row issues, not evidence about the distribution.
            (br_if $row (f64.ne (f64.sub (local.get $x) (local.get $x)) (f64.const 0)))
            ;; The grid cell, clamped: outside the grid the end cells are mixed ones, so the edges decide. A NaN t
            ;; (0 * Infinity: edges closer than 1024 / the largest double, only in a hand-made card) goes to cell 0
            ;; too, as `t | 0` did in JS; trunc would trap on it.
            (local.set $t (f64.mul (f64.sub (local.get $x) (local.get $start)) (local.get $cellsPerUnit)))
            (local.set $cell
              (if (result i32) (f64.ge (local.get $t) (f64.const 0))
                (then
                  (if (result i32) (f64.ge (local.get $t) (f64.const 1024))
                    (then (i32.const 1023))
                    (else (i32.trunc_f64_s (local.get $t)))))
                (else (i32.const 0))))
            (local.set $bin (i32.load8_u (i32.add (local.get $cells) (local.get $cell))))
            (if (i32.and (local.get $bin) (i32.const 0x80))
              (then
                ;; An edge in or next to the cell: step to the bin with edges[bin - 1] <= x < edges[bin].
                (local.set $bin (i32.and (local.get $bin) (i32.const 0x7f)))
                (block $upDone
                  (loop $up
                    (br_if $upDone (i32.ge_u (local.get $bin) (i32.const 13)))
                    (br_if $upDone (f64.gt (f64.load (i32.add (local.get $base) (i32.shl (local.get $bin) (i32.const 3))))
                                           (local.get $x)))
                    (local.set $bin (i32.add (local.get $bin) (i32.const 1)))
                    (br $up)))
                (block $downDone
                  (loop $down
                    (br_if $downDone (i32.eqz (local.get $bin)))
                    (br_if $downDone (f64.le (f64.load (i32.add (local.get $base)
                                                                (i32.shl (i32.sub (local.get $bin) (i32.const 1)) (i32.const 3))))
                                             (local.get $x)))
                    (local.set $bin (i32.sub (local.get $bin) (i32.const 1)))
                    (br $down)))))
            (local.set $cell (i32.add (local.get $out) (i32.shl (local.get $bin) (i32.const 2))))
            (i32.store (local.get $cell) (i32.add (i32.load (local.get $cell)) (i32.const 1)))
            (br $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $feature)))))
