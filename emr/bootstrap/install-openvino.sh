#!/bin/bash
# EMR bootstrap action (every node): install the OpenVINO 2022.3 toolkit (the last release with the MYRIAD plugin) from
# its archive for RHEL 8 x86_64, which runs on Amazon Linux 2023, and put compile_tool on the PATH for the publish
# stage, which runs `compile_tool -m model.onnx -d MYRIAD -c myriad.conf -o model.blob`.
set -euo pipefail

readonly package=l_openvino_toolkit_rhel8_2022.3.0.9052.9752fafe8eb_x86_64
readonly url="https://storage.openvinotoolkit.org/repositories/openvino/packages/2022.3/linux/${package}.tgz"
readonly home=/opt/intel/openvino_2022.3.0

if [[ -x /usr/local/bin/compile_tool ]]; then
  echo "install-openvino: compile_tool already installed"
  exit 0
fi

sudo dnf install -y tar gzip libusb1
archive=$(mktemp /tmp/openvino.XXXXXX.tgz)
trap 'rm -f "${archive}"' EXIT
curl -fsSL --retry 3 "${url}" -o "${archive}"
sudo mkdir -p /opt/intel
sudo tar -xzf "${archive}" -C /opt/intel
sudo mv "/opt/intel/${package}" "${home}"
sudo ln -sfn "${home}" /opt/intel/openvino_2022

# setupvars.sh sets the library path of the plugins; the wrapper sources it for each call ($@ is the wrapper's own)
# shellcheck disable=SC2016
printf '%s\n' '#!/bin/bash' \
  'source /opt/intel/openvino_2022/setupvars.sh >/dev/null' \
  'exec /opt/intel/openvino_2022/tools/compile_tool/compile_tool "$@"' | sudo tee /usr/local/bin/compile_tool >/dev/null
sudo chmod 755 /usr/local/bin/compile_tool
echo "install-openvino: compile_tool ready ($(readlink -f /opt/intel/openvino_2022))"
