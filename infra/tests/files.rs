//! The file store on the local file system, and on S3 when `TEST_S3_URL` names an S3-compatible server
//! (with `TEST_S3_BUCKET`, default `edaibiao-test`, already created; any access key works on test servers
//! unless `TEST_S3_ACCESS_KEY_ID` / `TEST_S3_SECRET_ACCESS_KEY` say otherwise). And picture cleaning:
//! EXIF goes, a thumbnail comes, hostile pictures are refused.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test-only crate: a panic is a failed test")]

use edaibiao_domain::attachment::{FileKind, sniff};
use edaibiao_infra::files::picture;
use edaibiao_infra::files::storage::{Storage, StorageSettings, blob_key};
use std::time::Duration;

fn fs_storage() -> (Storage, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("edaibiao-files-{}", uuid::Uuid::now_v7()));
    let storage = Storage::open(&StorageSettings::Fs { dir: dir.clone() });
    (storage.unwrap_or_else(|e| panic!("fs store: {e}")), dir)
}

fn s3_storage() -> Option<Storage> {
    let Ok(endpoint) = std::env::var("TEST_S3_URL") else {
        eprintln!("skipped: TEST_S3_URL is not set");
        return None;
    };
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    let settings = StorageSettings::S3 {
        endpoint,
        bucket: var("TEST_S3_BUCKET", "edaibiao-test"),
        region: "us-east-1".into(),
        access_key_id: var("TEST_S3_ACCESS_KEY_ID", "test"),
        secret_access_key: var("TEST_S3_SECRET_ACCESS_KEY", "test"),
    };
    Some(Storage::open(&settings).unwrap_or_else(|e| panic!("s3 store: {e}")))
}

async fn round_trip(storage: &Storage) {
    let key = blob_key(&format!("{:064x}", uuid::Uuid::now_v7().as_u128()));
    assert_eq!(storage.get(&key).await.ok(), Some(None), "nothing there yet");
    assert!(storage.put_once(&key, b"first".to_vec()).await.is_ok());
    // Content-addressed: a second write under the same key keeps what is there (a retry is harmless).
    assert!(storage.put_once(&key, b"first".to_vec()).await.is_ok());
    assert_eq!(storage.get(&key).await.ok(), Some(Some(b"first".to_vec())));
    assert_eq!(storage.exists(&key).await.ok(), Some(true));
    assert!(storage.delete(&key).await.is_ok());
    assert!(storage.delete(&key).await.is_ok(), "deleting twice is no error");
    assert_eq!(storage.exists(&key).await.ok(), Some(false));
}

#[tokio::test]
async fn the_file_system_store_keeps_and_removes_bytes_and_offers_no_presigned_urls() {
    let (storage, dir) = fs_storage();
    round_trip(&storage).await;
    assert_eq!(storage.presign(true, "blobs/x", Duration::from_secs(60)).await.ok(), Some(None));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_s3_store_keeps_and_removes_bytes_and_presigns_urls() {
    let Some(storage) = s3_storage() else { return };
    round_trip(&storage).await;
    let url = storage.presign(true, "blobs/abc", Duration::from_secs(60)).await.ok().flatten();
    let url = url.unwrap_or_else(|| panic!("S3 presigns"));
    assert!(url.contains("X-Amz-Signature="), "{url}");
    assert!(url.contains("X-Amz-Expires=60"), "{url}");
}

/// A JPEG with an EXIF block holding a GPS position, the way a phone writes it (APP1 after SOI).
pub fn jpeg_with_gps() -> Vec<u8> {
    let mut plain = Vec::new();
    let picture =
        image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90);
    assert!(image::DynamicImage::ImageRgb8(picture).write_with_encoder(encoder).is_ok());
    let exif = b"Exif\0\0MM\0\x2a\0\0\0\x08GPSLatitude=39.9042N;GPSLongitude=116.4074E";
    let length = u16::try_from(exif.len() + 2).unwrap_or(0).to_be_bytes();
    let mut with_exif = vec![0xFF, 0xD8, 0xFF, 0xE1, length[0], length[1]];
    with_exif.extend_from_slice(exif);
    with_exif.extend_from_slice(&plain[2..]);
    with_exif
}

#[test]
fn a_cleaned_photo_has_no_exif_and_a_thumbnail() {
    let photo = jpeg_with_gps();
    assert!(picture::has_exif(&photo));
    assert_eq!(sniff(&photo).ok(), Some(FileKind::Jpeg));
    let cleaned = picture::clean(&photo, FileKind::Jpeg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cleaned.kind, FileKind::Jpeg);
    assert!(!picture::has_exif(&cleaned.bytes), "EXIF removed");
    assert!(!cleaned.bytes.windows(11).any(|w| w == b"GPSLatitude"), "no GPS left");
    let thumb = image::load_from_memory(&cleaned.thumbnail).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((thumb.width(), thumb.height()), (320, 240));
}

#[test]
fn a_picture_too_large_or_broken_is_refused_as_bad_input() {
    // A PNG header claiming 100 000 × 100 000 pixels: refused before any pixel is allocated.
    let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    huge.extend_from_slice(&100_000u32.to_be_bytes());
    huge.extend_from_slice(&100_000u32.to_be_bytes());
    huge.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let refused = picture::clean(&huge, FileKind::Png).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(refused.contains("file:"), "{refused}");
    let broken = picture::clean(&[0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], FileKind::Jpeg);
    assert!(broken.err().map(|e| e.to_string()).unwrap_or_default().contains("not a readable picture"));
}

mod common;

/// The orphan sweep: a blob another item still links to survives the removal of one link; a blob nothing
/// links to any more is deleted from the store and the table once older than the cut-off, not before.
async fn the_sweep_removes_only_unlinked_old_blobs(postgres: bool) {
    use edaibiao_infra::entity::{attachment, blob};
    use edaibiao_infra::files::{self, Owner, Upload};
    use sea_orm::EntityTrait;
    let Some(store) = common::store(postgres).await else { return };
    let (storage, dir) = fs_storage();
    let uploader = uuid::Uuid::now_v7();
    let (first, second) = (Owner::Opinion(uuid::Uuid::now_v7()), Owner::DutyEntry(uuid::Uuid::now_v7()));
    let upload = |name: &str, text: &str| Upload {
        name: name.to_owned(),
        bytes: format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes(),
    };
    let shared = files::prepare(&store, &storage, &[upload("共享.pdf", "shared")]).await.unwrap();
    let alone = files::prepare(&store, &storage, &[upload("单独.pdf", "alone")]).await.unwrap();
    let on_first =
        files::link(&store.db, first, uploader, &[shared[0].clone(), alone[0].clone()]).await.unwrap();
    let on_second = files::link(&store.db, second, uploader, &shared).await.unwrap();
    assert_eq!(on_first[0].checksum, on_second[0].checksum, "the same bytes are one blob");
    assert_eq!((on_first[0].position, on_first[1].position, on_second[0].position), (1, 2, 1));
    // The first item lets go of both files.
    for a in &on_first {
        attachment::Entity::delete_by_id(a.id).exec(&store.db).await.unwrap();
    }
    let (kept, gone) = (on_first[0].checksum.clone(), on_first[1].checksum.clone());
    // Too young: nothing goes.
    let young = chrono::Utc::now() - chrono::Duration::hours(1);
    assert_eq!(files::sweep_orphans(&store, &storage, young).await.ok(), Some(0));
    assert_eq!(storage.exists(&blob_key(&gone)).await.ok(), Some(true));
    // Old enough: the unlinked blob goes from the table and the store; the linked one stays.
    let later = chrono::Utc::now() + chrono::Duration::seconds(1);
    assert_eq!(files::sweep_orphans(&store, &storage, later).await.ok(), Some(1));
    assert!(blob::Entity::find_by_id(gone.clone()).one(&store.db).await.unwrap().is_none());
    assert_eq!(storage.exists(&blob_key(&gone)).await.ok(), Some(false));
    assert!(blob::Entity::find_by_id(kept.clone()).one(&store.db).await.unwrap().is_some());
    assert_eq!(storage.exists(&blob_key(&kept)).await.ok(), Some(true));
    // Sweeping again finds nothing more.
    assert_eq!(files::sweep_orphans(&store, &storage, later).await.ok(), Some(0));
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_sweep_removes_only_unlinked_old_blobs_sqlite() {
    the_sweep_removes_only_unlinked_old_blobs(false).await;
}

#[tokio::test]
async fn the_sweep_removes_only_unlinked_old_blobs_postgres() {
    the_sweep_removes_only_unlinked_old_blobs(true).await;
}
