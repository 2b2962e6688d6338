#pragma once
// Path routing with templates: "/groups/{id}/members/$ref". Literal segments match
// case-insensitively (as Graph does); when several routes match, the one with more literal
// segments wins, so "/groups/delta" beats "/groups/{id}". The matched template doubles as the
// route name in /_sim/stats ("GET /groups/{id}/members").
#include <map>
#include <string>
#include <vector>

#include "core/http_types.hpp"

namespace idp_sim {

using PathParams = std::map<std::string, std::string>;

std::vector<std::string> split_path(const std::string& path);

template <class Handler>
class Router {
public:
  void add(const std::string& method, const std::string& pattern, Handler handler) {
    m_routes.push_back(Route{method, pattern, split_path(pattern), std::move(handler)});
  }

  struct Match {
    const Handler* handler = nullptr;
    std::string route;            // "GET /groups/{id}"
    PathParams params;
    bool path_known = false;      // some route matched the path, maybe with another method
    std::vector<std::string> allowed_methods;
  };

  Match match(const std::string& method, const std::string& path) const {
    Match best;
    int best_score = -1;
    auto segments = split_path(path);
    for (const auto& route : m_routes) {
      PathParams params;
      int score = 0;
      if (!matches(route.segments, segments, params, score)) continue;
      best.path_known = true;
      best.allowed_methods.push_back(route.method);
      if (route.method != method || score <= best_score) continue;
      best_score = score;
      best.handler = &route.handler;
      best.route = route.method + " " + route.pattern;
      best.params = std::move(params);
    }
    return best;
  }

  // The first path segment no route can match (Graph names it in "Resource not found for the
  // segment '...'"); empty when some route matches the whole path.
  std::string first_unmatched_segment(const std::string& path) const {
    auto segments = split_path(path);
    for (std::size_t depth = 1; depth <= segments.size(); ++depth) {
      bool any = false;
      for (const auto& route : m_routes) {
        if (route.segments.size() < depth) continue;
        bool ok = true;
        for (std::size_t i = 0; i < depth && ok; ++i) {
          const auto& p = route.segments[i];
          ok = (p.size() > 2 && p.front() == '{' && p.back() == '}') || iequals(p, segments[i]);
        }
        any = any || ok;
      }
      if (!any) return segments[depth - 1];
    }
    return {};
  }

private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };

  static bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
                      PathParams& params, int& score) {
    if (pattern.size() != segments.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      const auto& p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        if (segments[i].empty()) return false;
        params[p.substr(1, p.size() - 2)] = segments[i];
      } else if (iequals(p, segments[i])) {
        ++score;
      } else {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> m_routes;
};

}  // namespace idp_sim
