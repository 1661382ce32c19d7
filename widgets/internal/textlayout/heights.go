package textlayout

import "math/bits"

// heightBlock is how many paragraphs' heights paraHeights sums in one
// entry of its tree.
const heightBlock = 64

// paraHeights holds the paragraphs' heights, and their sums in a Fenwick
// tree over blocks of heightBlock paragraphs: 4 bytes and 1/8 a
// paragraph, where a tree over the paragraphs themselves took 12 (a
// hundred megabytes of news keep 735,000 paragraphs). A sum or a search
// adds up the tree's O(log n) entries and at most heightBlock-1 heights.
// Heights are whole pixels, so the sums are exact.
type paraHeights struct {
	h      []float32
	blocks fenwick
}

// heightsBytes is the memory paraHeights takes for n paragraphs.
func heightsBytes(n int) int { return 4*n + 8*(n/heightBlock+2) }

// build makes p hold the n heights h(0), …, h(n-1), reusing its memory
// unless it is far too large.
func (p *paraHeights) build(n int, h func(int) float32) {
	if c := cap(p.h); c < n || c > 2*n+1024 {
		p.h = make([]float32, n)
	}
	p.h = p.h[:n]
	for i := range p.h {
		p.h[i] = h(i)
	}
	p.blocks.build((n+heightBlock-1)/heightBlock, func(b int) float64 {
		s := 0.0
		for _, v := range p.h[b*heightBlock : min((b+1)*heightBlock, n)] {
			s += float64(v)
		}
		return s
	})
}

// set makes paragraph i's height h.
func (p *paraHeights) set(i int, h float32) {
	if d := h - p.h[i]; d != 0 {
		p.blocks.add(i/heightBlock, float64(d))
		p.h[i] = h
	}
}

// sum returns the total height of paragraphs [0, i).
func (p *paraHeights) sum(i int) float64 {
	b := i / heightBlock
	s := p.blocks.sum(b)
	for _, v := range p.h[b*heightBlock : i] {
		s += float64(v)
	}
	return s
}

// find returns the number of paragraphs whose total height is at most
// y: the index of the paragraph holding y.
func (p *paraHeights) find(y float64) int {
	b := p.blocks.find(y)
	y -= p.blocks.sum(b)
	i := b * heightBlock
	for i < len(p.h) && float64(p.h[i]) <= y {
		y -= float64(p.h[i])
		i++
	}
	return min(i, len(p.h))
}

// fenwick is a Fenwick tree: prefix sums, updates and the search for the
// item at a sum, in O(log n).
type fenwick []float64

// build makes f hold the n values v(0), …, v(n-1), reusing its memory
// unless it is far too large.
func (f *fenwick) build(n int, v func(int) float64) {
	if c := cap(*f); c < n+1 || c > 2*n+1024 {
		*f = make(fenwick, n+1)
	}
	t := (*f)[:n+1]
	t[0] = 0
	for i := range n {
		t[i+1] = v(i)
	}
	for i := 1; i <= n; i++ {
		if j := i + i&-i; j <= n {
			t[j] += t[i]
		}
	}
	*f = t
}

// add adds d to item i.
func (f fenwick) add(i int, d float64) {
	for j := i + 1; j < len(f); j += j & -j {
		f[j] += d
	}
}

// sum returns the total of items [0, i).
func (f fenwick) sum(i int) float64 {
	s := 0.0
	for j := i; j > 0; j -= j & -j {
		s += f[j]
	}
	return s
}

// find returns the number of items whose total is at most y.
func (f fenwick) find(y float64) int {
	pos := 0
	for step := 1 << (bits.Len(uint(len(f)-1)) - 1); step > 0; step >>= 1 {
		if j := pos + step; j < len(f) && f[j] <= y {
			pos = j
			y -= f[j]
		}
	}
	return pos
}
