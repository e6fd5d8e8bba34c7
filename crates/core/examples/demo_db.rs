//! Writes a demo database for performance runs of the desktop app:
//!
//! ```sh
//! cargo run --release -p cdesk-core --example demo_db -- DATA_DIR [PARTNERS] [NOTES]
//! ```
//!
//! The file is `DATA_DIR/channel-desk.db`, where the app looks when `CDESK_DATA_DIR=DATA_DIR`.

use std::path::PathBuf;
use std::time::Instant;

use cdesk_core::demo::{generate, DemoSize};
use cdesk_core::store::Store;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: demo_db DATA_DIR [PARTNERS] [NOTES]")?,
    );
    let partners: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1_000);
    let notes: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let path = dir.join("channel-desk.db");
    let started = Instant::now();
    let mut store = Store::open(&path)?;
    let today = chrono::Local::now().date_naive();
    let summary = generate(&mut store, DemoSize { partners, notes }, 7, today)?;
    println!(
        "{}: {} partners, {} notes, {} next steps in {:.1} s",
        path.display(),
        summary.partners,
        summary.notes,
        summary.next_steps,
        started.elapsed().as_secs_f64()
    );
    // The partner with the most notes: the longest timeline, for scrolling measurements.
    let reader = store.read();
    let mut busiest = (0, String::new());
    for p in cdesk_core::ops::list_partners(reader, &Default::default())? {
        let query = cdesk_core::ops::NoteQuery {
            partner: Some(p.id.clone()),
            limit: 1000,
            ..Default::default()
        };
        let n = cdesk_core::ops::list_notes(reader, &query)?.notes.len();
        if n > busiest.0 {
            busiest = (n, p.id);
        }
    }
    println!("busiest partner: {} ({} notes)", busiest.1, busiest.0);
    Ok(())
}
