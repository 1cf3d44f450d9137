// The editor's examples: networks as our learners' notes write them, pasted as they are. Code
// is code: the same text in both languages (its comments are the notes' own).

export const EXAMPLES = [
  {
    id: 'lenet',
    input: '1, 28, 28',
    code: `# d2l 6.6: LeNet
net = nn.Sequential(
    nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
    nn.AvgPool2d(kernel_size=2, stride=2),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
    nn.Linear(120, 84), nn.Sigmoid(),
    nn.Linear(84, 10))
`,
  },
  {
    id: 'resnet',
    input: '1, 28, 28',
    code: `# A small ResNet for the digits: two residual blocks, x + F(x).
# The second halves the maps and doubles the channels, so its shortcut
# needs a 1×1 convolution with stride 2 to match (as in ResNet).
net = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
    Residual(
        nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16)),
    nn.ReLU(),
    Residual(
        nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32),
        shortcut=nn.Conv2d(16, 32, kernel_size=1, stride=2)),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    nn.Linear(32, 10))
`,
  },
  {
    id: 'inception',
    input: '1, 28, 28',
    code: `# A small GoogLeNet for the digits: one Inception block (d2l 7.4),
# four paths concatenated on the channels: 8 + 16 + 8 + 8 = 40.
net = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=5, padding=2), nn.ReLU(),
    nn.MaxPool2d(2),
    Inception(16, 8, (8, 16), (4, 8), 8),
    nn.MaxPool2d(3, stride=2, padding=1),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(),
    nn.Linear(40, 10))
`,
  },
  {
    id: 'alexnet-class',
    input: '1, 224, 224',
    code: `import torch
from torch import nn


class AlexNet(nn.Module):
    """d2l 7.1 的 AlexNet，输入为 1×224×224 的 Fashion-MNIST 放大图像。"""

    def __init__(self):
        super().__init__()
        self.model1 = nn.Sequential(
            # 使用 11×11 的大窗口来捕捉对象，步幅为 4 以减少输出的高度和宽度
            nn.Conv2d(1, 96, kernel_size=11, stride=4, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            # 减小卷积窗口，使用填充为 2 来使得输入与输出的高和宽一致
            nn.Conv2d(96, 256, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            # 连续三个卷积层
            nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Flatten(),
            nn.Linear(6400, 4096), nn.ReLU(), nn.Dropout(p=0.5),
            nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(p=0.5),
            nn.Linear(4096, 10),
        )

    def forward(self, x):
        return self.model1(x)
`,
  },
  {
    id: 'zfnet',
    input: '1, 224, 224',
    code: `# ZFNet as written in the notes: AlexNet with a 7×7 first layer of stride 2.
# Do its sizes add up?
net = nn.Sequential(
    nn.Conv2d(1, 96, kernel_size=7, stride=2, padding=1), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2),
    nn.Conv2d(96, 256, kernel_size=5, stride=2), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2),
    nn.Conv2d(256, 384, kernel_size=3, padding=1), nn.ReLU(),
    nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(),
    nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2),
    nn.Flatten(),
    nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(p=0.5),
    nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(p=0.5),
    nn.Linear(4096, 10))
`,
  },
];
