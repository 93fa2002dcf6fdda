//! Where file bytes live: a folder on the local file system (the default, beside the SQLite file) or an
//! S3-compatible bucket, both through the `object_store` crate. Keys are content addresses
//! (`blobs/<sha256>`, `thumbnails/<sha256>.jpg`), so writing the same bytes twice stores them once.

use crate::error::{Error, Result};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{ObjectStore, PutPayload};
use std::sync::Arc;
use std::time::Duration;

/// How to reach the store, from configuration.
#[derive(Debug, Clone)]
pub enum StorageSettings {
    /// A folder on this machine (created if missing).
    Fs { dir: std::path::PathBuf },
    /// An S3-compatible bucket (path-style requests, so MinIO and test servers work too).
    S3 { endpoint: String, bucket: String, region: String, access_key_id: String, secret_access_key: String },
}

/// A file store. Cheap to clone.
#[derive(Clone)]
pub struct Storage {
    objects: Arc<dyn ObjectStore>,
    /// Only S3 can hand out presigned URLs; the file system cannot.
    signer: Option<Arc<AmazonS3>>,
}

impl std::fmt::Debug for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Storage").field("objects", &self.objects.to_string()).finish()
    }
}

fn storage_error(err: object_store::Error) -> Error {
    Error::Internal(format!("file storage: {err}"))
}

impl Storage {
    /// Opens the store the settings name (the folder is created if missing).
    pub fn open(settings: &StorageSettings) -> Result<Self> {
        match settings {
            StorageSettings::Fs { dir } => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::Internal(format!("file storage: cannot create {}: {e}", dir.display()))
                })?;
                let fs = LocalFileSystem::new_with_prefix(dir).map_err(storage_error)?;
                Ok(Self { objects: Arc::new(fs), signer: None })
            }
            StorageSettings::S3 { endpoint, bucket, region, access_key_id, secret_access_key } => {
                let s3 = AmazonS3Builder::new()
                    .with_endpoint(endpoint)
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_access_key_id(access_key_id)
                    .with_secret_access_key(secret_access_key)
                    .with_allow_http(endpoint.starts_with("http://"))
                    .with_virtual_hosted_style_request(false)
                    .build()
                    .map_err(storage_error)?;
                let s3 = Arc::new(s3);
                Ok(Self { objects: s3.clone(), signer: Some(s3) })
            }
        }
    }

    /// Writes `bytes` under `key` unless something is there already (keys are content addresses, so what
    /// is there is the same bytes). Retrying after a failure is safe.
    pub async fn put_once(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        let path = Path::from(key);
        match self.objects.head(&path).await {
            Ok(_) => return Ok(()),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(err) => return Err(storage_error(err)),
        }
        self.objects.put(&path, PutPayload::from(bytes)).await.map_err(storage_error)?;
        Ok(())
    }

    /// Writes `bytes` under `key`, replacing what is there (a staged upload sent again).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<()> {
        self.objects.put(&Path::from(key), PutPayload::from(bytes)).await.map_err(storage_error)?;
        Ok(())
    }

    /// The bytes under `key`; `None` when nothing is there.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        match self.objects.get(&Path::from(key)).await {
            Ok(found) => Ok(Some(found.bytes().await.map_err(storage_error)?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(err) => Err(storage_error(err)),
        }
    }

    /// Whether something is stored under `key`.
    pub async fn exists(&self, key: &str) -> Result<bool> {
        match self.objects.head(&Path::from(key)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(err) => Err(storage_error(err)),
        }
    }

    /// Removes what is under `key`; nothing there is no error.
    pub async fn delete(&self, key: &str) -> Result<()> {
        match self.objects.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(storage_error(err)),
        }
    }

    /// A presigned URL to GET or PUT `key` directly at the store, valid for `expires_in`; `None` on the
    /// file system, which has no such thing.
    pub async fn presign(&self, put: bool, key: &str, expires_in: Duration) -> Result<Option<String>> {
        let Some(signer) = &self.signer else { return Ok(None) };
        let method = if put { http::Method::PUT } else { http::Method::GET };
        let url = signer.signed_url(method, &Path::from(key), expires_in).await.map_err(storage_error)?;
        Ok(Some(url.to_string()))
    }
}

/// The key of a stored file.
pub fn blob_key(checksum: &str) -> String {
    format!("blobs/{checksum}")
}

/// The key of a stored picture's thumbnail.
pub fn thumbnail_key(checksum: &str) -> String {
    format!("thumbnails/{checksum}.jpg")
}
