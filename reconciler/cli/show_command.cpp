// `idform show PLANFILE`: a saved plan rendered again — as the reviewer saw it in the terminal, as
// a pull-request comment, or as the plan JSON — without reading any tenant.

#include "reconciler/cli/commands.hpp"
#include "reconciler/plan/plan_json.hpp"
#include "reconciler/render/markdown.hpp"
#include "reconciler/render/text.hpp"
#include "reconciler/util/redact.hpp"

namespace idform::cli {

int run_show(const Options& options, Io& io) {
  if (options.positional.size() != 1) {
    io.err << "error: idform show needs exactly one PLANFILE (from idform plan --out)\n";
    return 1;
  }
  Result<plan::Plan> plan = plan::read_plan_file(options.positional.front());
  if (!plan) {
    io.err << "error: " << util::redact(plan.error().to_string()) << "\n";
    return 1;
  }
  std::string out;
  if (options.format == "json") out = plan::to_json(*plan).dump(2) + "\n";
  else if (options.format == "markdown") out = render::render_markdown(*plan, {});
  else out = render::render_text(*plan, {use_color(options, io), options.show_unmanaged});
  io.out << util::redact(out);
  return 0;
}

}  // namespace idform::cli
