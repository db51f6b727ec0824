;; The fast path's kernel (see csv-kernel.ts): finds a byte 16 bytes at a time (line breaks, quotes), and reads a
;; run of plain decimal cells of one CSV line. `npm run gen:wasm` compiles this file into csv-kernel-wasm.ts; a
;; unit test checks the two agree.
;;
;; Memory layout (set up by csv-kernel.ts):
;;   [0, 184)   10^0..10^22 as f64 (exact doubles)
;;   [out, ...) one f32 per cell read
;;   the line's bytes anywhere else; the byte at `end` is the line's CR or LF, which no loop below accepts.
;;
;; A plain cell is exactly what plainNumber (the JS reference in csv-kernel.test.ts) takes: an optional sign,
;; digits, an optional '.' and digits, 1 to 15 digits in all, then ',' or the line's end. Its value is m / 10^f (m the digits as an integer,
;; f the digits after the '.'), one correctly rounded division of exact doubles (Clinger's fast path: what
;; Number(text) gives), then rounded to f32 as Math.fround does.
(module
  (memory (export "memory") 1)
  ;; Where the last cell read ends (a ',' or `end`); not set when no cell was read.
  (global $pos (export "pos") (mut i32) (i32.const 0))

  ;; The first $byte in [$p, $end), or -1. SIMD (what Chromium's and Node's TypedArray indexOf is not, here: 300 MB
  ;; searched in about 12 ms against 85-150 ms in Node 20, docs/benchmarks.md).
  (func (export "find") (param $p i32) (param $end i32) (param $byte i32) (result i32)
    (local $needle v128) (local $hits i32)
    (local.set $needle (i8x16.splat (local.get $byte)))
    (block $tail
      (loop $wide
        (br_if $tail (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        ;; One bit per lane equal to the byte; the lowest set bit is the first one.
        (local.set $hits (i8x16.bitmask (i8x16.eq (v128.load (local.get $p)) (local.get $needle))))
        (if (local.get $hits) (then (return (i32.add (local.get $p) (i32.ctz (local.get $hits))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $wide)))
    (block $none
      (loop $narrow
        (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.eq (i32.load8_u (local.get $p)) (local.get $byte)) (then (return (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $narrow)))
    (i32.const -1))

  ;; Reads up to $n plain cells starting at $p, the k-th written as f32 to $out + 4k. Returns how many it read;
  ;; it stops early at a cell that is not plain (left to the caller) or at the line's end.
  (func (export "cells") (param $p i32) (param $end i32) (param $n i32) (param $out i32) (result i32)
    (local $k i32) (local $i i32) (local $b i32) (local $negative i32) (local $m i64) (local $first i32)
    (local $digits i32) (local $fraction i32) (local $dot i32) (local $v f64)
    (block $done
      (loop $cell
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $i (local.get $p))
        (local.set $b (i32.load8_u (local.get $i)))
        (local.set $negative (i32.const 0))
        ;; '-' or '+'
        (if (i32.or (i32.eq (local.get $b) (i32.const 45)) (i32.eq (local.get $b) (i32.const 43)))
          (then
            (local.set $negative (i32.eq (local.get $b) (i32.const 45)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $b (i32.load8_u (local.get $i)))))
        (local.set $m (i64.const 0))
        (local.set $first (local.get $i))
        (block $integerEnd
          (loop $integer
            ;; b - '0' > 9 (unsigned): not a digit
            (br_if $integerEnd (i32.gt_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9)))
            (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10))
                                   (i64.extend_i32_u (i32.sub (local.get $b) (i32.const 48)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $b (i32.load8_u (local.get $i)))
            (br $integer)))
        (local.set $digits (i32.sub (local.get $i) (local.get $first)))
        (local.set $fraction (i32.const 0))
        ;; '.'
        (if (i32.eq (local.get $b) (i32.const 46))
          (then
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (local.set $dot (local.get $i))
            (local.set $b (i32.load8_u (local.get $i)))
            (block $fractionEnd
              (loop $fractionDigits
                (br_if $fractionEnd (i32.gt_u (i32.sub (local.get $b) (i32.const 48)) (i32.const 9)))
                (local.set $m (i64.add (i64.mul (local.get $m) (i64.const 10))
                                       (i64.extend_i32_u (i32.sub (local.get $b) (i32.const 48)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (local.set $b (i32.load8_u (local.get $i)))
                (br $fractionDigits)))
            (local.set $fraction (i32.sub (local.get $i) (local.get $dot)))
            (local.set $digits (i32.add (local.get $digits) (local.get $fraction)))))
        ;; Not plain: (b != ',' && i != end) || i > end || digits == 0 || digits > 15. The digit loops may overflow
        ;; $m on a long cell; such a cell is refused here before $m is used.
        (if (i32.or
              (i32.or
                (i32.and (i32.ne (local.get $b) (i32.const 44)) (i32.ne (local.get $i) (local.get $end)))
                (i32.gt_u (local.get $i) (local.get $end)))
              (i32.gt_u (i32.sub (local.get $digits) (i32.const 1)) (i32.const 14)))
          (then (return (local.get $k))))
        ;; m < 10^15 converts exactly; 10^f is exact: one correctly rounded division.
        (local.set $v (f64.convert_i64_u (local.get $m)))
        (if (local.get $fraction)
          (then
            (local.set $v (f64.div (local.get $v)
                                   (f64.load (i32.shl (local.get $fraction) (i32.const 3)))))))
        (if (local.get $negative) (then (local.set $v (f64.neg (local.get $v)))))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 2)))
                   (f32.demote_f64 (local.get $v)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (global.set $pos (local.get $i))
        (br_if $done (i32.eq (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $i) (i32.const 1)))
        (br $cell)))
    (local.get $k))
)
