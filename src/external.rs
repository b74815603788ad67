//! Asking other sites whether the links to them still work: the only user of ureq. Each
//! address is asked once per run (a cache for the run), a few at a time, each with a
//! time limit.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// What an address answered: its HTTP status, or why there was no answer.
pub type Answer = Result<u16, String>;

/// Asks each of `urls` (duplicates once), `concurrency` at a time, waiting at most
/// `timeout` for each.
pub fn check(urls: &[String], timeout: Duration, concurrency: usize) -> HashMap<String, Answer> {
    let mut unique: Vec<&String> = urls.iter().collect();
    unique.sort();
    unique.dedup();
    let queue = Mutex::new(unique.into_iter());
    let answers = Mutex::new(HashMap::new());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent("casebook-check (link checker for a training curriculum)")
        .build()
        .into();
    std::thread::scope(|scope| {
        for _ in 0..concurrency.max(1) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().expect("queue lock").next();
                    let Some(url) = next else { break };
                    let answer = ask(&agent, url);
                    answers
                        .lock()
                        .expect("answers lock")
                        .insert(url.clone(), answer);
                }
            });
        }
    });
    answers.into_inner().expect("answers lock")
}

fn ask(agent: &ureq::Agent, url: &str) -> Answer {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(response) => Ok(response.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Err("did not answer in time".to_string()),
        Err(e) => Err(e.to_string()),
    };
    // Some servers refuse HEAD: ask again with GET.
    match status(agent.head(url).call()) {
        Ok(405 | 403 | 501) => status(agent.get(url).call()),
        other => other,
    }
}
