//! A load balancer for tests: a TCP proxy on 127.0.0.1 that sends each new connection to
//! the server it points at now ([`Proxy::point_to`]), so devices keep one URL while the
//! instances behind it come and go.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

pub struct Proxy {
    pub url: String,
    target: Arc<Mutex<String>>,
}

impl Proxy {
    /// A proxy in front of `url` (`http://HOST:PORT`).
    pub fn start(url: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let target = Arc::new(Mutex::new(host_port(url)));
        let current = target.clone();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let to = current.lock().unwrap().clone();
                std::thread::spawn(move || {
                    // A server that is gone: the client sees its connection closed.
                    if let Ok(server) = TcpStream::connect(&to) {
                        pipe(client, server);
                    }
                });
            }
        });
        Proxy {
            url: format!("http://{addr}"),
            target,
        }
    }

    /// Sends new connections to `url` from now on.
    pub fn point_to(&self, url: &str) {
        *self.target.lock().unwrap() = host_port(url);
    }
}

fn host_port(url: &str) -> String {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string()
}

/// Copies bytes both ways until either side closes.
fn pipe(client: TcpStream, server: TcpStream) {
    let (Ok(c2), Ok(s2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let up = std::thread::spawn(move || copy(client, server));
    copy(s2, c2);
    let _ = up.join();
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    loop {
        match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
