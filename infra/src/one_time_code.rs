//! One-time codes sent by SMS, for every purpose (a voter's rating, a citizen's sign-up, a password
//! reset): one waiting code per scope and subject (a phone's keyed digest), stored only as a keyed digest,
//! valid for the policy's lifetime and a bounded number of tries.
//!
//! A try is counted *before* the code is compared, in one conditional UPDATE, so concurrent guesses
//! cannot exceed the policy's tries: a request that cannot raise the count is refused without comparing.

use crate::entity::one_time_code;
use crate::error::Result;
use crate::vault::Vault;
use crate::{Db, Error};
use chrono::{DateTime, Utc};
use edaibiao_domain::one_time_code::CodePolicy;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// A kind of code: its rules and what it is for.
#[derive(Debug, Clone)]
pub struct CodeKind {
    pub policy: CodePolicy,
    /// Names the purpose in storage (`registration`, `voter-rating:<link>`); codes of different scopes
    /// never match each other.
    pub scope: String,
}

/// A code that matched, not yet used up: [`consume`] it in the transaction that acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchedCode(Uuid);

fn digest(vault: &Vault, scope: &str, subject: &str, code: &str) -> String {
    vault.digest("one-time code", &format!("{scope}\u{0}{subject}\u{0}{code}"))
}

/// Equality whose time depends only on the lengths.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

fn random_code(policy: &CodePolicy) -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
    Ok(policy.code_from(u64::from_be_bytes(bytes)))
}

/// Makes a new code for `subject`, replacing a waiting one (and its count of tries). Returns the code, to
/// be sent, and when it expires.
pub async fn issue(
    db: &impl ConnectionTrait,
    vault: &Vault,
    kind: &CodeKind,
    subject: &str,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>)> {
    let code = random_code(&kind.policy)?;
    let expires_at = kind.policy.expires_at(now);
    let row = one_time_code::ActiveModel {
        id: Set(Uuid::now_v7()),
        scope: Set(kind.scope.clone()),
        subject: Set(subject.to_owned()),
        code_hash: Set(digest(vault, &kind.scope, subject, &code)),
        attempts: Set(0),
        expires_at: Set(expires_at),
        created_at: Set(now),
    };
    one_time_code::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([one_time_code::Column::Scope, one_time_code::Column::Subject])
                .update_columns([
                    one_time_code::Column::Id,
                    one_time_code::Column::CodeHash,
                    one_time_code::Column::Attempts,
                    one_time_code::Column::ExpiresAt,
                    one_time_code::Column::CreatedAt,
                ])
                .to_owned(),
        )
        .exec(db)
        .await?;
    Ok((code, expires_at))
}

/// Drops any code waiting for `subject`.
pub async fn discard(db: &impl ConnectionTrait, kind: &CodeKind, subject: &str) -> Result<()> {
    one_time_code::Entity::delete_many()
        .filter(one_time_code::Column::Scope.eq(&kind.scope))
        .filter(one_time_code::Column::Subject.eq(subject))
        .exec(db)
        .await?;
    Ok(())
}

/// Tries `code` (already parsed with the policy) for `subject`. The try is counted first and committed on
/// its own, whatever the caller does next; only then is the code compared. A wrong, expired or used-up
/// code, or none waiting, is a bad input on `code`.
pub async fn attempt(
    db: &Db,
    vault: &Vault,
    kind: &CodeKind,
    subject: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<MatchedCode> {
    let max = i32::try_from(kind.policy.max_attempts).unwrap_or(i32::MAX);
    let counted = one_time_code::Entity::update_many()
        .col_expr(one_time_code::Column::Attempts, Expr::col(one_time_code::Column::Attempts).add(1))
        .filter(one_time_code::Column::Scope.eq(&kind.scope))
        .filter(one_time_code::Column::Subject.eq(subject))
        .filter(one_time_code::Column::Attempts.lt(max))
        .filter(one_time_code::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    let stored = one_time_code::Entity::find()
        .filter(one_time_code::Column::Scope.eq(&kind.scope))
        .filter(one_time_code::Column::Subject.eq(subject))
        .one(db)
        .await?;
    let Some(stored) = stored else { return Err(kind.policy.no_code().into()) };
    if counted.rows_affected == 0 {
        // Not counted (expired or used up): refused without comparing.
        return Err(kind.policy.no_code().into());
    }
    let expected = digest(vault, &kind.scope, subject, code);
    let matches = same_bytes(expected.as_bytes(), stored.code_hash.as_bytes());
    let attempts = u32::try_from(stored.attempts).unwrap_or(u32::MAX);
    kind.policy.check(stored.expires_at, attempts, matches, now)?;
    Ok(MatchedCode(stored.id))
}

/// Uses up a matched code, in the caller's transaction: of two requests that matched the same code only
/// one consumes it; the other gets the bad input a used code gets.
pub async fn consume(db: &impl ConnectionTrait, kind: &CodeKind, matched: MatchedCode) -> Result<()> {
    let deleted =
        one_time_code::Entity::delete_many().filter(one_time_code::Column::Id.eq(matched.0)).exec(db).await?;
    if deleted.rows_affected == 1 { Ok(()) } else { Err(kind.policy.no_code().into()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use edaibiao_domain::one_time_code::SMS_CODE;

    #[test]
    fn codes_have_the_policy_length_and_their_digest_binds_scope_and_subject() {
        let Ok(code) = random_code(&SMS_CODE) else { panic!("code") };
        assert!(SMS_CODE.parse(&code).is_ok(), "{code}");
        let vault = Vault::development();
        let a = digest(&vault, "s", "p", "123456");
        assert_eq!(a, digest(&vault, "s", "p", "123456"));
        assert_ne!(a, digest(&vault, "s", "q", "123456"));
        assert_ne!(a, digest(&vault, "t", "p", "123456"));
        assert!(!a.contains("123456"));
    }
}
