// The content model as JSON (all fields but the body), as the catalogue stores it and the API
// will serve it.
#pragma once

#include <nlohmann/json.hpp>

#include "core/document.h"

namespace passerelle {

nlohmann::json document_to_json(const Document& doc);

}  // namespace passerelle
