// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    channel_desk::linux_rendering_defaults();
    channel_desk::run();
}
