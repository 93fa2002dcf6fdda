//! Deputy QR codes (代表二维码): the token a code carries, who may fetch or rotate a deputy's code, the
//! sizes an image may have, and the pacing that makes a public lookup take as long for an unknown token as
//! for a known one.

use crate::DomainError;
use crate::account::{Actor, Role};
use std::time::Duration;
use uuid::Uuid;

/// The unguessable part of a deputy's public link `/d/{token}`: 256 random bits in URL-safe base64
/// without padding (43 characters), issued by the infrastructure's randomness. It is a capability to
/// open the public card and contact form, not a credential for anything private.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QrToken(String);

impl QrToken {
    /// Length of a token: 32 bytes in base64 without padding.
    pub const LEN: usize = 43;

    /// Checks the shape of a token; whether a deputy holds it is for storage to say.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let well_formed = raw.len() == Self::LEN
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(DomainError::invalid("token", "is not a deputy QR token"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path of the public card page this token opens.
    pub fn card_path(&self) -> String {
        format!("/d/{}", self.0)
    }

    /// The absolute URL a QR code carries: the card path under the server's public base URL.
    pub fn card_url(&self, public_base_url: &str) -> String {
        format!("{}{}", public_base_url.trim_end_matches('/'), self.card_path())
    }
}

impl std::fmt::Display for QrToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What someone wants to do with a deputy's QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrAction {
    /// Fetch the code (its link or image), e.g. to print it.
    View,
    /// Issue a new token, so that the old code and link find nothing.
    Rotate,
}

/// The facts about a deputy that decide who may handle their QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrOwner {
    pub deputy_id: Uuid,
    pub congress_id: Uuid,
    /// The liaison station where the deputy receives the public.
    pub station_id: Option<Uuid>,
}

/// May `actor` view or rotate the QR code of `owner`? The deputy themself, staff of the deputy's congress
/// and admins may do both. Workers of the deputy's own liaison station may view it (they print the codes
/// that hang at the station) but not rotate it. Everyone else is refused.
pub fn may_handle_qr(actor: &Actor, owner: QrOwner, action: QrAction) -> Result<(), DomainError> {
    let own = actor.role == Role::Deputy && actor.deputy_id == Some(owner.deputy_id);
    let staff = actor.is_staff_of(owner.congress_id);
    let station_worker = actor.role == Role::StationStaff
        && owner.station_id.is_some()
        && actor.station_id == owner.station_id;
    let allowed = match action {
        QrAction::View => own || staff || station_worker,
        QrAction::Rotate => own || staff,
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::forbidden(match action {
            QrAction::View => {
                "only the deputy, staff of the congress or the deputy's station see this QR code"
            }
            QrAction::Rotate => "only the deputy, staff of the congress or an admin may renew this QR code",
        }))
    }
}

/// The edge length of a QR code image in pixels: 128–1024, 256 when not asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrImageSize(u32);

impl QrImageSize {
    pub const MIN: u32 = 128;
    pub const MAX: u32 = 1024;
    pub const DEFAULT: u32 = 256;

    /// Reads the requested size; `None` means the default.
    pub fn parse(raw: Option<i64>) -> Result<Self, DomainError> {
        let Some(raw) = raw else { return Ok(Self(Self::DEFAULT)) };
        match u32::try_from(raw) {
            Ok(px) if (Self::MIN..=Self::MAX).contains(&px) => Ok(Self(px)),
            _ => Err(DomainError::invalid(
                "size",
                format!("must be between {} and {} pixels", Self::MIN, Self::MAX),
            )),
        }
    }

    pub fn pixels(self) -> u32 {
        self.0
    }
}

/// How long a public lookup by token takes at least, and the step its duration is rounded up to.
///
/// A lookup of a known token reads more (the card, or the deputy's records to build it) than a lookup
/// of an unknown one (one indexed miss), and a cached card is quicker still. So that the answer's timing
/// tells nothing about whether a token exists, every lookup, hit or miss, is held until the next whole
/// multiple of this quantum after it started: all normal answers take exactly one quantum, and one that
/// is slow for another reason (a loaded database) lands on a multiple that a miss shares just as well.
pub const LOOKUP_QUANTUM: Duration = Duration::from_millis(100);

/// How much longer a lookup that has run for `elapsed` must wait so that its total is the smallest
/// positive whole multiple of `quantum` (a zero quantum means no padding).
pub fn lookup_padding(elapsed: Duration, quantum: Duration) -> Duration {
    if quantum.is_zero() {
        return Duration::ZERO;
    }
    let (elapsed_ns, quantum_ns) = (elapsed.as_nanos(), quantum.as_nanos());
    // Already on a multiple (other than zero): it ends there.
    if elapsed_ns > 0 && elapsed_ns % quantum_ns == 0 {
        return Duration::ZERO;
    }
    let quanta = u32::try_from(elapsed_ns / quantum_ns + 1).unwrap_or(u32::MAX);
    quantum.saturating_mul(quanta).saturating_sub(elapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, congress: Option<Uuid>, deputy: Option<Uuid>, station: Option<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::from_u128(99),
            role,
            congress_id: congress,
            unit_id: None,
            deputy_id: deputy,
            station_id: station,
        }
    }

    const CONGRESS: Uuid = Uuid::from_u128(1);
    const OTHER_CONGRESS: Uuid = Uuid::from_u128(2);
    const DEPUTY: Uuid = Uuid::from_u128(10);
    const STATION: Uuid = Uuid::from_u128(20);

    fn owner() -> QrOwner {
        QrOwner { deputy_id: DEPUTY, congress_id: CONGRESS, station_id: Some(STATION) }
    }

    #[test]
    fn tokens_are_43_url_safe_characters() {
        let good = "aZ09-_".repeat(7) + "x";
        assert_eq!(good.len(), QrToken::LEN);
        assert_eq!(QrToken::parse(&good).map(|t| t.to_string()), Ok(good.clone()));
        for bad in [
            String::new(),
            good[1..].to_owned(),
            format!("{good}a"),
            good.replacen('a', "+", 1),
            good.replacen('a', "/", 1),
            good.replacen('a', "=", 1),
            format!("张{}", &good[3..]),
            good.replacen('a', " ", 1),
        ] {
            assert!(QrToken::parse(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn card_url_joins_base_and_path() {
        let Ok(token) = QrToken::parse(&"A".repeat(43)) else { panic!("valid token refused") };
        let expected = format!("https://rd.example.cn/d/{}", "A".repeat(43));
        assert_eq!(token.card_url("https://rd.example.cn"), expected);
        assert_eq!(token.card_url("https://rd.example.cn/"), expected);
    }

    #[test]
    fn the_deputy_and_their_congress_staff_may_view_and_rotate() {
        for who in [
            actor(Role::Deputy, Some(CONGRESS), Some(DEPUTY), None),
            actor(Role::CongressStaff, Some(CONGRESS), None, None),
            actor(Role::Admin, None, None, None),
        ] {
            for action in [QrAction::View, QrAction::Rotate] {
                assert!(may_handle_qr(&who, owner(), action).is_ok(), "{who:?} {action:?}");
            }
        }
    }

    #[test]
    fn station_workers_of_the_deputys_station_may_only_view() {
        let worker = actor(Role::StationStaff, Some(CONGRESS), None, Some(STATION));
        assert!(may_handle_qr(&worker, owner(), QrAction::View).is_ok());
        assert!(matches!(may_handle_qr(&worker, owner(), QrAction::Rotate), Err(DomainError::Forbidden(_))));
        let elsewhere = actor(Role::StationStaff, Some(CONGRESS), None, Some(Uuid::from_u128(21)));
        assert!(may_handle_qr(&elsewhere, owner(), QrAction::View).is_err());
        let stationless = QrOwner { station_id: None, ..owner() };
        let no_station = actor(Role::StationStaff, Some(CONGRESS), None, None);
        assert!(may_handle_qr(&no_station, stationless, QrAction::View).is_err());
    }

    #[test]
    fn everyone_else_is_refused() {
        for who in [
            actor(Role::Deputy, Some(CONGRESS), Some(Uuid::from_u128(11)), None),
            actor(Role::CongressStaff, Some(OTHER_CONGRESS), None, None),
            actor(Role::Citizen, None, None, None),
            actor(Role::UnitStaff, Some(CONGRESS), None, None),
            // A deputy id on an account of another role does not make it the deputy.
            actor(Role::Citizen, None, Some(DEPUTY), None),
        ] {
            for action in [QrAction::View, QrAction::Rotate] {
                assert!(
                    matches!(may_handle_qr(&who, owner(), action), Err(DomainError::Forbidden(_))),
                    "{who:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn image_size_is_bounded_with_a_default() {
        assert_eq!(QrImageSize::parse(None).map(QrImageSize::pixels), Ok(256));
        assert_eq!(QrImageSize::parse(Some(128)).map(QrImageSize::pixels), Ok(128));
        assert_eq!(QrImageSize::parse(Some(1024)).map(QrImageSize::pixels), Ok(1024));
        for bad in [127, 1025, 0, -1, i64::MAX] {
            assert!(
                matches!(QrImageSize::parse(Some(bad)), Err(DomainError::Invalid { field: "size", .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_lookup_ends_on_a_whole_quantum() {
        let q = Duration::from_millis(100);
        let total = |ms: u64| Duration::from_millis(ms) + lookup_padding(Duration::from_millis(ms), q);
        // A quick miss and a slower hit both take exactly one quantum.
        assert_eq!(total(0), q);
        assert_eq!(total(1), q);
        assert_eq!(total(37), q);
        assert_eq!(total(99), q);
        assert_eq!(total(100), q);
        // A slow lookup lands on the next multiple, which a miss as slow shares.
        assert_eq!(total(101), 2 * q);
        assert_eq!(total(250), 3 * q);
        let odd = Duration::from_micros(123_456);
        assert_eq!((odd + lookup_padding(odd, q)).as_nanos() % q.as_nanos(), 0);
        assert_eq!(lookup_padding(Duration::from_millis(5), Duration::ZERO), Duration::ZERO);
    }
}
