// Responder: how an asynchronous handler answers its request, later and from any thread.
//
//   router.RouteAsync("GET", "/v1/things/{id}",
//                     [](std::shared_ptr<const Request> request, Responder respond) {
//                       StartLookup(request->PathParam("id"), [respond](Thing thing) {
//                         respond.Answer(Response::Json(200, Describe(thing)));
//                       });
//                     });
//
// Copies share one answer: the first Answer is sent, later ones are ignored. If every
// copy is gone without an answer (the handler threw, or lost its callback), the request
// is answered 500, so a connection never waits forever on a forgotten request.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <utility>

#include "libs/http/response.h"

namespace bitcontent::http {

class Responder {
 public:
  // `send` writes the response; it runs once, on the thread that answers.
  explicit Responder(std::function<void(Response)> send)
      : state_(std::make_shared<State>(std::move(send))) {}

  // Sends `response` unless this request was already answered. Thread-safe.
  void Answer(Response response) const { state_->Answer(std::move(response)); }

 private:
  class State {
   public:
    explicit State(std::function<void(Response)> send) : send_(std::move(send)) {}
    ~State() { Answer(Response::Error(500, absl::StatusCode::kInternal, "internal error")); }
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    void Answer(Response response) {
      if (answered_.exchange(true, std::memory_order_acq_rel)) return;
      send_(std::move(response));
    }

   private:
    const std::function<void(Response)> send_;
    std::atomic<bool> answered_{false};
  };

  std::shared_ptr<State> state_;
};

}  // namespace bitcontent::http
