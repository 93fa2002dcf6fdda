//! Money as GraphQL carries it. A budget in fen (分) passes GraphQL's `Int`, which the spec and typed
//! clients (Kotlin, Swift, codegen) hold to 32 bits: 2^31 fen is only about 2,147 万元. So amounts travel
//! as a scalar of their own, written as a string of decimal digits and exact to the fen.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};

/// An amount of money in fen (分, 1/100 yuan; 1 万元 = 1,000,000 fen), exact. Output is a string of decimal
/// digits (e.g. `"1200000000"` for 1,200 万元); input may be such a string or an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fen(pub i64);

/// An amount of money in fen (分, 1/100 yuan; 1 万元 = 1,000,000 fen), exact, as a string of decimal digits
/// (e.g. "1200000000" for 1,200 万元). Input may also be an integer.
#[Scalar(name = "Fen")]
impl ScalarType for Fen {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => {
                if text.is_empty() || text.len() > 19 || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(InputValueError::custom(
                        "fen are written as decimal digits, e.g. \"1200000000\"",
                    ));
                }
                text.parse().map(Fen).map_err(|_| InputValueError::custom("too large"))
            }
            Value::Number(n) => {
                n.as_i64().map(Fen).ok_or_else(|| InputValueError::custom("must be a whole number of fen"))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(_) | Value::Number(_))
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_digits_and_integers_and_writes_digits() {
        assert_eq!(Fen::parse(Value::String("12000000000".into())).ok(), Some(Fen(12_000_000_000)));
        assert_eq!(Fen::parse(Value::Number(42.into())).ok(), Some(Fen(42)));
        for bad in ["", "-1", "1.5", "1e9", " 1", "99999999999999999999"] {
            assert!(Fen::parse(Value::String(bad.into())).is_err(), "{bad:?}");
        }
        assert!(Fen::parse(Value::Boolean(true)).is_err());
        assert_eq!(Fen(12_000_000_000).to_value(), Value::String("12000000000".into()));
    }
}
