//! Developer aid: `GRADE_FILE=path cargo test --test dialogue_debug -- --nocapture`
//! prints the grade of a transcript file. Does nothing without the variable.

#[test]
fn grade_file_from_env() {
    let Ok(path) = std::env::var("GRADE_FILE") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    match review_lab::dialogue::grade_json(&text) {
        Ok(out) => {
            let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        Err(e) => println!("{}: {}", e.code(), e),
    }
}

/// Developer aid: `BUYER_SCENARIO=id BUYER_LINES=file cargo test --test dialogue_debug -- --nocapture`
/// plays the agent lines in the file (one per line) against the simulated buyer.
#[test]
fn play_buyer_from_env() {
    let (Ok(id), Ok(path)) = (
        std::env::var("BUYER_SCENARIO"),
        std::env::var("BUYER_LINES"),
    ) else {
        return;
    };
    let Ok(mut sim) = review_lab::dialogue::BuyerSim::new(&id, 1) else {
        println!("unknown scenario {id}");
        return;
    };
    println!("买家: {}", sim.opening());
    for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
        println!("客服: {line}");
        match sim.respond(line) {
            Ok(t) => println!(
                "买家: {}  [{} {} {:?}]",
                t.text, t.mood, t.mood_label, t.events
            ),
            Err(e) => println!("  !! {}: {e}", e.code()),
        }
    }
    println!("{:#?}", sim.outcome());
}
