/* zlib decompression (RFC 1950 and 1951) of the search index's files, in the page's own
   thread: a query reads some forty small files, and a DecompressionStream costs more time
   per file (its stream passing each piece along) than decoding the file here. Sets
   window.sitegenInflate(bytes: Uint8Array) → Uint8Array; throws on a damaged file.
   search.js uses it when the page has it, else DecompressionStream. */
(function (w) {
  "use strict";
  var ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  var LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                     67, 83, 99, 115, 131, 163, 195, 227, 258];
  var LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4,
                      5, 5, 5, 5, 0];
  var DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513,
                   769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10,
                    11, 11, 12, 12, 13, 13];

  function fail(what) {
    throw new Error("inflate: " + what);
  }

  /* A canonical Huffman code from its code lengths: how many codes of each length, and
     the symbols in code order. */
  function code(lengths, from, n) {
    var count = new Uint16Array(16), symbol = new Uint16Array(n), offset = new Uint16Array(16);
    for (var i = 0; i < n; i++) count[lengths[from + i]]++;
    count[0] = 0;
    var left = 1;
    for (var len = 1; len < 16; len++) {
      left = (left << 1) - count[len];
      if (left < 0) fail("bad code lengths");
      offset[len] = len > 1 ? offset[len - 1] + count[len - 1] : 0;
    }
    for (var s = 0; s < n; s++) if (lengths[from + s]) symbol[offset[lengths[from + s]]++] = s;
    return { count: count, symbol: symbol };
  }

  var FIXED_LENGTHS = new Uint8Array(320);
  for (var f = 0; f < 288; f++) FIXED_LENGTHS[f] = f < 144 ? 8 : f < 256 ? 9 : f < 280 ? 7 : 8;
  for (f = 288; f < 320; f++) FIXED_LENGTHS[f] = 5;
  var FIXED = [code(FIXED_LENGTHS, 0, 288), code(FIXED_LENGTHS, 288, 30)];

  function inflate(input) {
    if (input.length < 6 || (input[0] & 0x0f) !== 8 || ((input[0] << 8) | input[1]) % 31 ||
        input[1] & 0x20) fail("not a zlib stream");
    var at = 2, bitBuf = 0, bitCount = 0;
    var out = new Uint8Array(Math.max(1024, input.length * 4)), size = 0;

    function bits(n) {
      while (bitCount < n) {
        if (at >= input.length) fail("truncated");
        bitBuf |= input[at++] << bitCount;
        bitCount += 8;
      }
      var value = bitBuf & ((1 << n) - 1);
      bitBuf >>>= n;
      bitCount -= n;
      return value;
    }
    function room(n) {
      if (size + n <= out.length) return;
      var bigger = new Uint8Array(Math.max(out.length * 2, size + n));
      bigger.set(out.subarray(0, size));
      out = bigger;
    }
    function decode(h) {
      var c = 0, first = 0, index = 0, count = h.count;
      for (var len = 1; len < 16; len++) {
        if (bitCount === 0) {
          if (at >= input.length) fail("truncated");
          bitBuf = input[at++];
          bitCount = 8;
        }
        c |= bitBuf & 1;
        bitBuf >>>= 1;
        bitCount--;
        var n = count[len];
        if (c - n < first) return h.symbol[index + (c - first)];
        index += n;
        first = (first + n) << 1;
        c <<= 1;
      }
      fail("bad code");
    }
    function codes(lit, dist) {
      for (;;) {
        var s = decode(lit);
        if (s < 256) {
          room(1);
          out[size++] = s;
        } else if (s === 256) {
          return;
        } else {
          s -= 257;
          if (s >= 29) fail("bad length");
          var len = LENGTH_BASE[s] + bits(LENGTH_EXTRA[s]);
          var d = decode(dist);
          if (d >= 30) fail("bad distance");
          var back = DIST_BASE[d] + bits(DIST_EXTRA[d]);
          if (back > size) fail("distance too far");
          room(len);
          for (var i = 0; i < len; i++, size++) out[size] = out[size - back];
        }
      }
    }
    function dynamic() {
      var nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      if (nlen > 286 || ndist > 30) fail("bad counts");
      var lengths = new Uint8Array(320);
      for (var i = 0; i < ncode; i++) lengths[ORDER[i]] = bits(3);
      var lencode = code(lengths, 0, 19);
      lengths = new Uint8Array(nlen + ndist);
      for (var k = 0; k < nlen + ndist;) {
        var s = decode(lencode);
        if (s < 16) {
          lengths[k++] = s;
          continue;
        }
        var value = 0, repeat;
        if (s === 16) {
          if (k === 0) fail("repeat with no first length");
          value = lengths[k - 1];
          repeat = 3 + bits(2);
        } else repeat = s === 17 ? 3 + bits(3) : 11 + bits(7);
        if (k + repeat > nlen + ndist) fail("too many lengths");
        while (repeat--) lengths[k++] = value;
      }
      if (!lengths[256]) fail("no end code");
      codes(code(lengths, 0, nlen), code(lengths, nlen, ndist));
    }

    var last;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {
        bitBuf = 0;
        bitCount = 0; // to the byte boundary
        if (at + 4 > input.length) fail("truncated");
        var len = input[at] | (input[at + 1] << 8);
        if ((len ^ (input[at + 2] | (input[at + 3] << 8))) !== 0xffff) fail("bad stored block");
        at += 4;
        if (at + len > input.length) fail("truncated");
        room(len);
        out.set(input.subarray(at, at + len), size);
        size += len;
        at += len;
      } else if (type === 1) codes(FIXED[0], FIXED[1]);
      else if (type === 2) dynamic();
      else fail("bad block type");
    } while (!last);

    /* the Adler-32 checksum after the data (big-endian) */
    if (at + 4 > input.length) fail("truncated");
    var a = 1, b = 0;
    for (var i = 0; i < size;) {
      for (var end = Math.min(size, i + 3800); i < end; i++) {
        a += out[i];
        b += a;
      }
      a %= 65521;
      b %= 65521;
    }
    var want = ((input[at] << 24) | (input[at + 1] << 16) | (input[at + 2] << 8) | input[at + 3]) >>> 0;
    if (((b << 16) | a) >>> 0 !== want) fail("checksum");
    return out.slice(0, size);
  }

  w.sitegenInflate = inflate;
})(window);
