package agreement

import "fmt"

// Categories are small integers: 0 is NONE (O for tokens), labels are 1...
const none = 0

// multiAcc accumulates Krippendorff's alpha and Fleiss' kappa over units
// coded by several layers. Everything is an integer count, so the order in
// which documents arrive does not change the result.
type multiAcc struct {
	docs, units int // alpha: documents with at least two finishing layers, their units

	// n[c] is the number of pairable values c (Krippendorff's n_c).
	n []int
	// diag[m][c] sums n_uc·(n_uc−1) over the units with m values; the
	// coincidence o_cc is the sum over m of diag[m][c]/(m−1).
	diag [][]int

	fleissDocs, fleissUnits int   // documents (units) every compared layer finished
	tot                     []int // Fleiss: sum over units of n_ic
	sq                      []int // Fleiss: sum over units of n_ic²
}

func newMultiAcc(layers int) multiAcc {
	return multiAcc{diag: make([][]int, layers+1)}
}

func (a *multiAcc) grow(k int) {
	a.n = growTo(a.n, k)
	a.tot = growTo(a.tot, k)
	a.sq = growTo(a.sq, k)
	for m := range a.diag {
		if m >= 2 {
			a.diag[m] = growTo(a.diag[m], k)
		}
	}
}

func growTo(s []int, k int) []int {
	if len(s) >= k {
		return s
	}
	return append(s, make([]int, k-len(s))...)
}

// add counts one unit; vals are the values of the layers that finished the
// document (at least two), fleiss says whether every compared layer did.
func (a *multiAcc) add(vals []int32, fleiss bool) {
	m := len(vals)
	a.units++
	if fleiss {
		a.fleissUnits++
	}
	for i, v := range vals {
		seen := false
		for _, w := range vals[:i] {
			if w == v {
				seen = true
				break
			}
		}
		if seen {
			continue
		}
		c := 0
		for _, w := range vals[i:] {
			if w == v {
				c++
			}
		}
		a.n[v] += c
		a.diag[m][v] += c * (c - 1)
		if fleiss {
			a.tot[v] += c
			a.sq[v] += c * c
		}
	}
}

func (a *multiAcc) reset() {
	a.docs, a.units, a.fleissDocs, a.fleissUnits = 0, 0, 0, 0
	clear(a.n)
	clear(a.tot)
	clear(a.sq)
	for _, d := range a.diag {
		clear(d)
	}
}

func (a *multiAcc) merge(b *multiAcc) {
	a.docs += b.docs
	a.units += b.units
	a.fleissDocs += b.fleissDocs
	a.fleissUnits += b.fleissUnits
	a.grow(len(b.n))
	for c := range b.n {
		a.n[c] += b.n[c]
		a.tot[c] += b.tot[c]
		a.sq[c] += b.sq[c]
	}
	for m, d := range b.diag {
		for c, x := range d {
			a.diag[m][c] += x
		}
	}
}

// total is Krippendorff's n, the number of pairable values.
func (a *multiAcc) total() int {
	s := 0
	for _, x := range a.n {
		s += x
	}
	return s
}

// occ returns o_cc, the coincidences of c with itself.
func (a *multiAcc) occ(c int) float64 {
	var o float64
	for m, d := range a.diag {
		if m >= 2 && c < len(d) {
			o += float64(d[c]) / float64(m-1)
		}
	}
	return o
}

// alpha is nominal Krippendorff's alpha:
//
//	α = 1 − (n−1)·(n − Σ_c o_cc) / (n² − Σ_c n_c²)
func (a *multiAcc) alpha(name func(int) string) Value {
	n := a.total()
	if n == 0 {
		return undefined("no unit has values from two layers")
	}
	if c, ok := onlyOne(a.n); ok {
		return undefined(fmt.Sprintf("only one value (%s) was used, so no disagreement is expected", name(c)))
	}
	var sumO, sumN2 float64
	for c, nc := range a.n {
		if nc == 0 {
			continue
		}
		sumO += a.occ(c)
		sumN2 += float64(nc) * float64(nc)
	}
	N := float64(n)
	return defined(1 - (N-1)*(N-sumO)/(N*N-sumN2))
}

// alphaOf is alpha of the binary recoding c against every other value:
//
//	α_c = 1 − (n−1)·(n_c − o_cc) / (n_c·(n − n_c))
func (a *multiAcc) alphaOf(c int, name string) Value {
	n := a.total()
	if n == 0 {
		return undefined("no unit has values from two layers")
	}
	nc := 0
	if c < len(a.n) {
		nc = a.n[c]
	}
	switch {
	case nc == 0:
		return undefined(name + " was not used in units with values from two layers")
	case nc == n:
		return undefined("every value was " + name + ", so no disagreement is expected")
	}
	N, Nc := float64(n), float64(nc)
	return defined(1 - (N-1)*(Nc-a.occ(c))/(Nc*(N-Nc)))
}

// fleiss is Fleiss' kappa with r raters per unit:
//
//	P̄ = (Σ_ic n_ic² − N·r) / (N·r·(r−1)),  P_e = Σ_c p_c²,  κ = (P̄ − P_e)/(1 − P_e)
func (a *multiAcc) fleiss(r int, name func(int) string) Value {
	if reason := a.fleissEmpty(r); reason != "" {
		return undefined(reason)
	}
	if c, ok := onlyOne(a.tot); ok {
		return undefined(fmt.Sprintf("only one category (%s) was used, so expected agreement is 1", name(c)))
	}
	N, R := float64(a.fleissUnits), float64(r)
	var sq, pe float64
	for c, t := range a.tot {
		if t == 0 {
			continue
		}
		sq += float64(a.sq[c])
		p := float64(t) / (N * R)
		pe += p * p
	}
	pbar := (sq - N*R) / (N * R * (R - 1))
	return defined((pbar - pe) / (1 - pe))
}

// onlyOne returns the one value c of counts that was counted, when only
// one was.
func onlyOne(counts []int) (c int, ok bool) {
	c = -1
	for i, n := range counts {
		if n == 0 {
			continue
		}
		if c >= 0 {
			return -1, false
		}
		c = i
	}
	return c, c >= 0
}

func (a *multiAcc) fleissEmpty(r int) string {
	switch {
	case r < 2:
		return "Fleiss' kappa needs at least two layers"
	case a.fleissDocs == 0:
		return fmt.Sprintf("no document was finished by all %d layers", r)
	case a.fleissUnits == 0:
		return fmt.Sprintf("the documents all %d layers finished have no units", r)
	}
	return ""
}

// fleissOf is Fleiss' (1971) kappa for category c:
//
//	κ_c = 1 − Σ_i n_ic·(r − n_ic) / (N·r·(r−1)·p_c·q_c)
func (a *multiAcc) fleissOf(c, r int, name string) Value {
	if reason := a.fleissEmpty(r); reason != "" {
		return undefined(reason)
	}
	t, s := 0, 0
	if c < len(a.tot) {
		t, s = a.tot[c], a.sq[c]
	}
	N, R := float64(a.fleissUnits), float64(r)
	switch {
	case t == 0:
		return undefined(name + " was not used in the documents all layers finished")
	case t == a.fleissUnits*r:
		return undefined("every value was " + name + " in the documents all layers finished, so expected agreement is 1")
	}
	p := float64(t) / (N * R)
	return defined(1 - (R*float64(t)-float64(s))/(N*R*(R-1)*p*(1-p)))
}

// square is a growable k×k matrix of counts.
type square struct {
	k int
	v []int
}

func (s *square) grow(k int) {
	if k <= s.k {
		return
	}
	v := make([]int, k*k)
	for i := range s.k {
		copy(v[i*k:i*k+s.k], s.v[i*s.k:(i+1)*s.k])
	}
	s.k, s.v = k, v
}

func (s *square) at(i, j int) int { return s.v[i*s.k+j] }

// pairAcc accumulates one pair of layers: the confusion matrix over their
// units (rows: layer A, columns: layer B) and the overlap matchings.
type pairAcc struct {
	docs, units int
	conf        square

	ovUnlab int   // spans paired by the unlabelled overlap matching
	ovLab   []int // per label: pairs of the labelled overlap matching
	ovA     []int // per label: A's spans of it paired with any span of B
	ovB     []int // per label: B's spans of it paired with any span of A
}

func (p *pairAcc) grow(k int) {
	p.conf.grow(k)
	p.ovLab = growTo(p.ovLab, k)
	p.ovA = growTo(p.ovA, k)
	p.ovB = growTo(p.ovB, k)
}

func (p *pairAcc) reset() {
	p.docs, p.units, p.ovUnlab = 0, 0, 0
	clear(p.conf.v)
	clear(p.ovLab)
	clear(p.ovA)
	clear(p.ovB)
}

func (p *pairAcc) merge(q *pairAcc) {
	p.docs += q.docs
	p.units += q.units
	p.ovUnlab += q.ovUnlab
	p.grow(q.conf.k)
	for i := range q.conf.k {
		for j := range q.conf.k {
			p.conf.v[i*p.conf.k+j] += q.conf.at(i, j)
		}
	}
	for c := range q.ovLab {
		p.ovLab[c] += q.ovLab[c]
		p.ovA[c] += q.ovA[c]
		p.ovB[c] += q.ovB[c]
	}
}

func (p *pairAcc) row(c int) int {
	s := 0
	for j := range p.conf.k {
		s += p.conf.at(c, j)
	}
	return s
}

func (p *pairAcc) col(c int) int {
	s := 0
	for i := range p.conf.k {
		s += p.conf.at(i, c)
	}
	return s
}

// cohen is Cohen's kappa of the confusion matrix:
//
//	κ = (p_o − p_e)/(1 − p_e),  p_o = Σ_c x_cc/N,  p_e = Σ_c x_c+·x_+c/N²
func (p *pairAcc) cohen(name func(int) string) Value {
	N := p.units
	if N == 0 {
		return undefined("no units")
	}
	agree, chance := 0, 0
	for c := range p.conf.k {
		agree += p.conf.at(c, c)
		chance += p.row(c) * p.col(c)
	}
	if chance == N*N {
		c := 0
		for p.row(c) == 0 {
			c++
		}
		return undefined(fmt.Sprintf("only one category (%s) was used by both layers, so expected agreement is 1", name(c)))
	}
	n := float64(N)
	po, pe := float64(agree)/n, float64(chance)/(n*n)
	return defined((po - pe) / (1 - pe))
}

// cohenOf is Cohen's kappa of the 2×2 table c against every other value.
func (p *pairAcc) cohenOf(c int, name string) Value {
	N := p.units
	if N == 0 {
		return undefined("no units")
	}
	a, r, k := 0, 0, 0
	if c < p.conf.k {
		a, r, k = p.conf.at(c, c), p.row(c), p.col(c)
	}
	if (r == 0 && k == 0) || (r == N && k == N) {
		if r == 0 {
			return undefined(fmt.Sprintf("neither layer used %s, so expected agreement is 1", name))
		}
		return undefined(fmt.Sprintf("both layers used %s for every unit, so expected agreement is 1", name))
	}
	n := float64(N)
	agree := float64(a + (N - r - k + a))
	pe := (float64(r)*float64(k) + float64(N-r)*float64(N-k)) / (n * n)
	return defined((agree/n - pe) / (1 - pe))
}

// f1 is (mA+mB)/(a+b): the share of both layers' spans that the other
// layer matched. For a one-to-one matching mA = mB = TP and this is the
// usual F1, 2TP/(a+b) = 2PR/(P+R) with recall TP/a (A is the reference)
// and precision TP/b.
func f1(a, b, mA, mB int, label string) Value {
	if a+b == 0 {
		if label != "" {
			return undefined("neither layer marked a span labelled " + label)
		}
		return undefined("neither layer marked a span")
	}
	return defined(float64(mA+mB) / float64(a+b))
}
