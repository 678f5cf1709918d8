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
