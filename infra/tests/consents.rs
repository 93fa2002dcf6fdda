//! Consents to the privacy notices given with a code request, where the API cannot look: recorded with the
//! purpose, the thing asked about, the version and what it covered, identified by the phone's keyed digest
//! and never the phone; refused without the current version, and nothing recorded then. Runs on SQLite, and
//! on PostgreSQL + Redis when `TEST_DATABASE_URL` and `TEST_REDIS_URL` are set.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use edaibiao_domain::DomainError;
use edaibiao_domain::privacy::PRIVACY_NOTICE_VERSION;
use edaibiao_infra::entity::{draft_law, privacy_consent};
use edaibiao_infra::vault::Vault;
use edaibiao_infra::{Error, legislation};
use sea_orm::EntityTrait;

mod common;
use common::store;

const PHONE: &str = "13712340001";

async fn a_code_request_records_the_consent_it_came_with(postgres: bool) {
    let Some(store) = store(postgres).await else { return };
    let vault = Vault::development();
    let sms = edaibiao_infra::sms::sender(None);
    let drafts = draft_law::Entity::find().all(&store.db).await.unwrap();
    let draft = drafts.iter().find(|d| d.title.contains("养犬")).expect("the demo draft");
    for agreed in [None, Some("2020-01-01")] {
        let refused =
            legislation::request_code(&store, &vault, sms.as_ref(), draft.id, PHONE, agreed, "10.0.0.1")
                .await;
        assert!(
            matches!(refused, Err(Error::Domain(DomainError::Invalid { field: "privacyConsent", .. }))),
            "{refused:?}"
        );
    }
    assert!(
        privacy_consent::Entity::find().all(&store.db).await.unwrap().is_empty(),
        "nothing without consent"
    );
    legislation::request_code(
        &store,
        &vault,
        sms.as_ref(),
        draft.id,
        PHONE,
        Some(PRIVACY_NOTICE_VERSION),
        "10.0.0.1",
    )
    .await
    .unwrap();
    let consents = privacy_consent::Entity::find().all(&store.db).await.unwrap();
    assert_eq!(consents.len(), 1);
    let c = &consents[0];
    assert_eq!((c.subject_kind.as_str(), c.subject_id), ("DRAFT_COMMENT", draft.id));
    assert_eq!((c.notice_version.as_str(), c.covers.as_str()), (PRIVACY_NOTICE_VERSION, "CONTACT_PHONE"));
    assert_eq!(c.account_id, None);
    assert_eq!(c.phone_digest.as_deref(), Some(vault.phone_digest(PHONE).as_str()));
    assert!(!format!("{c:?}").contains(PHONE), "the phone itself is not kept: {c:?}");
}

#[tokio::test]
async fn a_code_request_records_the_consent_it_came_with_sqlite() {
    a_code_request_records_the_consent_it_came_with(false).await;
}

#[tokio::test]
async fn a_code_request_records_the_consent_it_came_with_postgres() {
    a_code_request_records_the_consent_it_came_with(true).await;
}
