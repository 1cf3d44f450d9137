net = nn.Sequential(
    nn.Conv3d(1, 6, 5)，  # 全角逗号
    nn.Conv2d(1, 6, kernel_size=(5, 3)), nn.ReLU(inplace=True),
    nn.MaxPool2d(2, ceil_mode=True),
    nn.Flatten(),
    nn.Linear(6 * 12 * 12 / 2, 10),
    nn.Softmax(dim=1))
