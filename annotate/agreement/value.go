package agreement

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
)

// Value is a figure that may be undefined. An undefined figure has a Reason
// and is written to JSON as null; it is never 0 or NaN.
type Value struct {
	Defined bool
	Value   float64
	Reason  string // why the figure is undefined; empty when Defined
}

func defined(v float64) Value {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return undefined("the computation did not give a finite number")
	}
	return Value{Defined: true, Value: v}
}

func undefined(reason string) Value { return Value{Reason: reason} }

// Float returns the figure, or nil when it is undefined.
func (v Value) Float() *float64 {
	if !v.Defined {
		return nil
	}
	f := v.Value
	return &f
}

// String gives the figure with three decimals, or "undefined: reason".
func (v Value) String() string {
	if !v.Defined {
		if v.Reason == "" {
			return "undefined"
		}
		return "undefined: " + v.Reason
	}
	return strconv.FormatFloat(v.Value, 'f', 3, 64)
}

// MarshalJSON writes the number, or null when the figure is undefined.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.Defined {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v.Value, 'g', -1, 64), nil
}

// UnmarshalJSON reads a number or null (the reason is not in the number:
// it is in the enclosing object's "reasons").
func (v *Value) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*v = Value{}
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*v = Value{Defined: true, Value: f}
	return nil
}
