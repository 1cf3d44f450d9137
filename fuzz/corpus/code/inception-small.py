# input: 1, 28, 28
net = nn.Sequential(
    nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(),
    nn.MaxPool2d(kernel_size=3, stride=2, padding=1),
    Inception(8, 4, (4, 8), (2, 4), 4),
    nn.MaxPool2d(3, stride=2, padding=1),
    Inception(in_channels=20, c1=8, c2=[8, 8], c3=(2, 4), c4=4),
    nn.AdaptiveAvgPool2d(1),
    nn.Flatten(),
    nn.Linear(24, 10))
